package io.videopipe.notify;

import io.temporal.worker.Worker;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

/**
 * Registers the webhook step on the CPU worker. The secret comes from {@code videopipe.webhooks.secret} or the
 * environment variable {@code VIDEOPIPE_WEBHOOK_SECRET}; it never enters workflow history.
 */
@Configuration(proxyBeanMethods = false)
@Profile({"local", "cpu-worker"})
public class WebhookWorkerConfiguration {
  private static final Logger log = LoggerFactory.getLogger(WebhookWorkerConfiguration.class);

  @Bean
  WebhookActivitiesImpl webhookActivities(@Qualifier("cpuWorker") Worker cpuWorker, Environment env) {
    WebhookSettings settings = settings(env);
    WebhookActivitiesImpl activities = new WebhookActivitiesImpl(settings, Clock.systemUTC());
    cpuWorker.registerActivitiesImplementations(activities);
    log.info("webhooks: {}", settings);
    return activities;
  }

  /** The webhook settings, read the same way by the worker (delivery) and the API (checks at submit). */
  public static WebhookSettings settings(Environment env) {
    String secret = env.getProperty("videopipe.webhooks.secret", env.getProperty("VIDEOPIPE_WEBHOOK_SECRET", ""));
    String allowedHosts = env.getProperty("videopipe.webhooks.allowed-hosts", "");
    return new WebhookSettings(
        secret,
        Arrays.stream(allowedHosts.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList(),
        env.getProperty("videopipe.webhooks.allow-plain-http", Boolean.class, false),
        env.getProperty("videopipe.webhooks.connect-timeout", Duration.class, Duration.ofSeconds(5)),
        env.getProperty("videopipe.webhooks.read-timeout", Duration.class, Duration.ofSeconds(10)));
  }
}

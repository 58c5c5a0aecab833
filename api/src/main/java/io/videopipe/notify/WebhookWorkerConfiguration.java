package io.videopipe.notify;

import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Registers the webhook step on the CPU worker. The secret comes from {@code videopipe.webhooks.secret} or the
 * environment variable {@code VIDEOPIPE_WEBHOOK_SECRET}; it never enters workflow history.
 */
@Configuration(proxyBeanMethods = false)
@Profile({"local", "cpu-worker"})
public class WebhookWorkerConfiguration {
  private static final Logger log = LoggerFactory.getLogger(WebhookWorkerConfiguration.class);

  @Bean
  WebhookActivitiesImpl webhookActivities(
      @Qualifier("cpuWorker") Worker cpuWorker,
      @Value("${videopipe.webhooks.secret:${VIDEOPIPE_WEBHOOK_SECRET:}}") String secret,
      @Value("${videopipe.webhooks.allowed-hosts:}") String allowedHosts,
      @Value("${videopipe.webhooks.allow-plain-http:false}") boolean allowPlainHttp,
      @Value("${videopipe.webhooks.connect-timeout:5s}") Duration connectTimeout,
      @Value("${videopipe.webhooks.read-timeout:10s}") Duration readTimeout) {
    WebhookSettings settings =
        new WebhookSettings(
            secret,
            Arrays.stream(allowedHosts.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList(),
            allowPlainHttp,
            connectTimeout,
            readTimeout);
    WebhookActivitiesImpl activities = new WebhookActivitiesImpl(settings);
    cpuWorker.registerActivitiesImplementations(activities);
    log.info("webhooks: {}", settings);
    return activities;
  }
}

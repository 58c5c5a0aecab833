package io.videopipe.notify;

import io.temporal.worker.Worker;
import java.time.Clock;
import io.videopipe.config.VideoPipeProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Registers the webhook step on the CPU worker. The secret comes from {@code videopipe.webhooks.secret} (environment
 * {@code VIDEOPIPE_WEBHOOK_SECRET}); it never enters workflow history.
 */
@Configuration(proxyBeanMethods = false)
@Profile({"local", "cpu-worker"})
public class WebhookWorkerConfiguration {
  private static final Logger log = LoggerFactory.getLogger(WebhookWorkerConfiguration.class);

  @Bean
  WebhookActivitiesImpl webhookActivities(@Qualifier("cpuWorker") Worker cpuWorker, VideoPipeProperties props) {
    WebhookSettings settings = props.webhooks().settings();
    WebhookActivitiesImpl activities = new WebhookActivitiesImpl(settings, Clock.systemUTC());
    cpuWorker.registerActivitiesImplementations(activities);
    log.info("webhooks: {}", settings);
    return activities;
  }
}

package io.videopipe.health;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.videopipe.storage.Storage;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Health ({@code temporal} and {@code storage} components of /actuator/health) and metrics: the Temporal SDK reports
 * into the Micrometer registry (so /actuator/prometheus shows {@code temporal_*}), and workers add the pipeline's own.
 */
@Configuration(proxyBeanMethods = false)
@Profile({"local", "api", "cpu-worker", "gpu-worker"})
public class HealthMetricsConfiguration {

  /** The Temporal SDK's metrics scope, reporting to Micrometer every second. */
  @Bean(destroyMethod = "close")
  Scope temporalMetricsScope(MeterRegistry registry) {
    return new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(registry))
        .reportEvery(com.uber.m3.util.Duration.ofSeconds(1));
  }

  @Bean
  PipelineMetricsInterceptor pipelineMetricsInterceptor(MeterRegistry registry) {
    return new PipelineMetricsInterceptor(registry);
  }

  /** Component {@code temporal}: the bean name less its HealthIndicator suffix. */
  @Bean
  HealthIndicator temporalHealthIndicator(WorkflowClient client) {
    return new TemporalHealthIndicator(client);
  }

  @Bean
  HealthIndicator storageHealthIndicator(Storage storage) {
    return new StorageHealthIndicator(storage);
  }
}

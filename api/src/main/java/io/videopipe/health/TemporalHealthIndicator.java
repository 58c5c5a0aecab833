package io.videopipe.health;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.client.WorkflowClient;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** Temporal reachable: the frontend answers {@code GetSystemInfo} within a few seconds. */
public class TemporalHealthIndicator implements HealthIndicator {
  private final WorkflowClient client;

  public TemporalHealthIndicator(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public Health health() {
    try {
      GetSystemInfoResponse info =
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      Health.Builder up = Health.up().withDetail("namespace", client.getOptions().getNamespace());
      if (!info.getServerVersion().isEmpty()) {
        up.withDetail("serverVersion", info.getServerVersion());
      }
      return up.build();
    } catch (RuntimeException e) {
      return Health.down()
          .withDetail("namespace", client.getOptions().getNamespace())
          .withDetail("error", String.valueOf(e.getMessage()))
          .build();
    }
  }
}

package io.videopipe.notify;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** How workflows call {@link WebhookActivities}: a few minutes of retries with backoff, then give up. */
public final class WebhookActivityOptions {
  private WebhookActivityOptions() {}

  public static ActivityOptions of(String queue) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(queue)
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setScheduleToCloseTimeout(Duration.ofMinutes(10))
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(2))
                .setBackoffCoefficient(2)
                .setMaximumInterval(Duration.ofMinutes(1))
                .setMaximumAttempts(8)
                .setDoNotRetry(WebhookActivities.REJECTED_TYPE)
                .build())
        .build();
  }
}

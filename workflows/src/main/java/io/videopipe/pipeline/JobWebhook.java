package io.videopipe.pipeline;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import io.videopipe.notify.WebhookActivities;
import io.videopipe.notify.WebhookActivityOptions;
import io.videopipe.notify.WebhookPayload;
import org.slf4j.Logger;

/** Tells the job's webhook how the job ended. */
final class JobWebhook {
  private static final Logger log = Workflow.getLogger(JobWebhook.class);

  private JobWebhook() {}

  /**
   * Best effort, in a detached scope so it also runs after a cancellation: an undelivered webhook is logged and never
   * changes the job's outcome. Does nothing for a job without a webhook URL.
   */
  static void notify(JobRequest request, JobResult result) {
    if (request.webhookUrl() == null) {
      return;
    }
    Workflow.newDetachedCancellationScope(
            () -> {
              try {
                Workflow.newActivityStub(WebhookActivities.class, WebhookActivityOptions.of(request.queues().cpu()))
                    .notifyWebhook(request.webhookUrl(), WebhookPayload.of(result));
              } catch (ActivityFailure e) {
                log.warn("job {}: webhook not delivered: {}", result.jobId(), FailureDescription.describe(e).message());
              }
            })
        .run();
  }
}

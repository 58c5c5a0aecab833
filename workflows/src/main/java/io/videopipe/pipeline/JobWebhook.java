package io.videopipe.pipeline;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.videopipe.notify.WebhookActivities;
import io.videopipe.notify.WebhookActivityOptions;
import io.videopipe.notify.WebhookDelivery;
import io.videopipe.notify.WebhookPayload;
import io.videopipe.notify.WebhookReceipt;
import java.time.Instant;
import org.slf4j.Logger;

/** Tells the job's webhook how the job ended, and records in the {@link JobLedger} how the delivery went. */
final class JobWebhook {
  private static final Logger log = Workflow.getLogger(JobWebhook.class);

  private JobWebhook() {}

  /**
   * Best effort, in a detached scope so it also runs after a cancellation: an undelivered webhook is logged and
   * recorded, and never changes the job's outcome. Does nothing for a job without a webhook URL.
   */
  static void notify(JobRequest request, JobResult result, JobLedger ledger) {
    if (request.webhookUrl() == null) {
      return;
    }
    ledger.webhook(WebhookDelivery.pending());
    Workflow.newDetachedCancellationScope(
            () -> {
              try {
                WebhookReceipt receipt =
                    Workflow.newActivityStub(
                            WebhookActivities.class, WebhookActivityOptions.of(request.queues().cpu()))
                        .notifyWebhook(request.webhookUrl(), WebhookPayload.of(result));
                ledger.webhook(
                    new WebhookDelivery(
                        WebhookDelivery.DELIVERED,
                        receipt == null ? 1 : receipt.attempt(),
                        receipt == null ? null : receipt.httpStatus(),
                        Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString(),
                        null));
              } catch (ActivityFailure e) {
                ErrorInfo error = FailureDescription.describe(e);
                WebhookReceipt last = lastReceipt(e);
                ledger.webhook(
                    new WebhookDelivery(
                        WebhookActivities.REJECTED_TYPE.equals(error.type())
                            ? WebhookDelivery.REFUSED
                            : WebhookDelivery.FAILED,
                        last == null ? 0 : last.attempt(),
                        last == null || last.httpStatus() == 0 ? null : last.httpStatus(),
                        null,
                        error.message()));
                log.warn("job {}: webhook not delivered: {}", result.jobId(), error.message());
              }
            })
        .run();
  }

  /** The receipt the last webhook attempt left in its failure's details, if any. */
  private static WebhookReceipt lastReceipt(ActivityFailure e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure af && af.getDetails() != null && af.getDetails().getSize() > 0) {
        try {
          return af.getDetails().get(WebhookReceipt.class);
        } catch (RuntimeException notAReceipt) {
          return null;
        }
      }
    }
    return null;
  }
}

package io.videopipe.notify;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Tells the job's owner that the job ended: POSTs a {@link WebhookPayload} to the job's webhook URL, signed with
 * HMAC-SHA256 ({@code X-Videopipe-Signature: sha256=<hex>} over {@code "<X-Videopipe-Timestamp>.<body>"}).
 *
 * <p>Failure types: {@value #REJECTED_TYPE} (the receiver answered 4xx other than 408/429, or the URL is refused by
 * the SSRF guard) is not retryable; any other failure (5xx, 408, 429, timeouts, connection errors) is. Every failure
 * carries a {@link WebhookReceipt} in its details, so the job can record the last HTTP status and attempt.
 */
@ActivityInterface
public interface WebhookActivities {
  String REJECTED_TYPE = "WebhookRejected";

  @ActivityMethod(name = "NotifyWebhook")
  WebhookReceipt notifyWebhook(String url, WebhookPayload payload);
}

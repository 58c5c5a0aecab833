package io.videopipe.notify;

/**
 * How the job's webhook went, as {@code GET /api/v1/jobs/{id}} shows it.
 *
 * @param state {@code PENDING} (being delivered or retried), {@code DELIVERED}, {@code REFUSED} (the URL or the
 *     receiver's 4xx answer ruled out retrying) or {@code FAILED} (retries exhausted)
 * @param attempts attempts made so far; 0 while the first is under way
 * @param lastHttpStatus the receiver's last HTTP status, null when it never answered
 * @param deliveredAt ISO-8601 time of delivery, null unless delivered
 * @param reason why it was not delivered, null unless refused or failed
 */
public record WebhookDelivery(
    String state, int attempts, Integer lastHttpStatus, String deliveredAt, String reason) {

  public static final String PENDING = "PENDING";
  public static final String DELIVERED = "DELIVERED";
  public static final String REFUSED = "REFUSED";
  public static final String FAILED = "FAILED";

  public static WebhookDelivery pending() {
    return new WebhookDelivery(PENDING, 0, null, null, null);
  }
}

package io.videopipe.notify;

/**
 * What one webhook attempt got: the activity's result when delivered, the failure's details when not.
 *
 * @param httpStatus the receiver's HTTP status; 0 when it never answered (refused, unreachable, timed out)
 * @param attempt the activity attempt (1 for the first)
 */
public record WebhookReceipt(int httpStatus, int attempt) {}

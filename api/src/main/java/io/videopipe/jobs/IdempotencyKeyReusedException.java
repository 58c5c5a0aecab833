package io.videopipe.jobs;

/** An {@code Idempotency-Key} sent again with a different request: answered 422. */
public class IdempotencyKeyReusedException extends RuntimeException {
  public IdempotencyKeyReusedException(String message) {
    super(message);
  }
}

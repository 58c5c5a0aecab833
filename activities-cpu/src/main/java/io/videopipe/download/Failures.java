package io.videopipe.download;

import io.temporal.failure.ApplicationFailure;
import io.videopipe.pipeline.ErrorTypes;

/** The application failures the download activity throws. */
final class Failures {
  private Failures() {}

  static ApplicationFailure nonRetryable(String type, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, type);
  }

  static ApplicationFailure transientFailure(String message) {
    return ApplicationFailure.newFailure(message, ErrorTypes.TRANSIENT);
  }

  static ApplicationFailure transientFailure(String message, Throwable cause) {
    return cause == null
        ? transientFailure(message)
        : ApplicationFailure.newFailureWithCause(message, ErrorTypes.TRANSIENT, cause);
  }

  static ApplicationFailure notFound(String message) {
    return nonRetryable(ErrorTypes.SOURCE_NOT_FOUND, message);
  }

  static ApplicationFailure notAllowed(String message) {
    return nonRetryable(ErrorTypes.SOURCE_NOT_ALLOWED, message);
  }

  static ApplicationFailure invalid(String message) {
    return nonRetryable(ErrorTypes.INVALID_REQUEST, message);
  }

  static ApplicationFailure tooLarge(String displayUri, long size, long limit) {
    return nonRetryable(
        ErrorTypes.SOURCE_TOO_LARGE,
        "source " + displayUri + " is " + size + " bytes, over the limit of " + limit + " bytes");
  }

  static ApplicationFailure tooLargeWhileStreaming(String displayUri, long read, long limit) {
    return nonRetryable(
        ErrorTypes.SOURCE_TOO_LARGE,
        "source " + displayUri + " is larger than the limit of " + limit + " bytes (stopped after " + read + " bytes)");
  }

  static ApplicationFailure empty(String displayUri) {
    return nonRetryable(ErrorTypes.SOURCE_EMPTY, "source " + displayUri + " is empty (0 bytes)");
  }
}

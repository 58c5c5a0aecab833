package io.videopipe.clip;

import java.io.IOException;

/** A clip cannot be rendered from this input; {@link #errorType()} is one of the non-retryable ErrorTypes. */
public final class ClipException extends IOException {
  private final String errorType;

  public ClipException(String message, String errorType) {
    super(message);
    this.errorType = errorType;
  }

  public String errorType() {
    return errorType;
  }
}

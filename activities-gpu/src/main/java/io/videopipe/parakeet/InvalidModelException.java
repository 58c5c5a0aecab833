package io.videopipe.parakeet;

/** The Parakeet model directory is missing a file or holds something other than the expected ONNX export. */
public final class InvalidModelException extends IllegalStateException {
  public InvalidModelException(String message) {
    super(message);
  }

  public InvalidModelException(String message, Throwable cause) {
    super(message, cause);
  }
}

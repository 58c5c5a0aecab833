package io.videopipe.uploads;

/** An upload passed {@link UploadProperties#maxSize()}; nothing of it is kept. */
public class UploadTooLargeException extends RuntimeException {
  public UploadTooLargeException(long limit) {
    super("the upload is larger than the " + limit + " bytes allowed (videopipe.uploads.max-size)");
  }
}

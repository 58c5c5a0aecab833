package io.videopipe.audio;

import io.videopipe.pipeline.ErrorTypes;

/**
 * The source cannot give audio to transcribe. {@link #errorType()} is the {@link ErrorTypes} name the activity fails
 * with: {@link ErrorTypes#UNSUPPORTED_MEDIA} or {@link ErrorTypes#NO_AUDIO_STREAM}.
 */
public final class MediaException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String errorType;

  public MediaException(String errorType, String message) {
    super(message);
    this.errorType = errorType;
  }

  public static MediaException unsupported(String message) {
    return new MediaException(ErrorTypes.UNSUPPORTED_MEDIA, message);
  }

  public String errorType() {
    return errorType;
  }
}

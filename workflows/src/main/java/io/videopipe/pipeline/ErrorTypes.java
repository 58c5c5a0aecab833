package io.videopipe.pipeline;

import java.util.List;

/**
 * Application failure types thrown by activities, and the two error types the workflow itself reports. The ones in
 * {@link #NON_RETRYABLE} describe bad input or configuration: retrying cannot help, so the workflow fails fast.
 */
public final class ErrorTypes {
  public static final String SOURCE_NOT_FOUND = "SourceNotFound";
  public static final String SOURCE_EMPTY = "SourceEmpty";
  public static final String SOURCE_TOO_LARGE = "SourceTooLarge";
  public static final String UNSUPPORTED_SOURCE = "UnsupportedSource";
  public static final String SOURCE_NOT_ALLOWED = "SourceNotAllowed";
  public static final String UNSUPPORTED_MEDIA = "UnsupportedMedia";
  public static final String NO_AUDIO_STREAM = "NoAudioStream";
  /** The source's decodable audio is far shorter than its container declares (a cut upload or download). */
  public static final String SOURCE_TRUNCATED = "SourceTruncated";
  public static final String ENGINE_UNAVAILABLE = "EngineUnavailable";
  public static final String INVALID_REQUEST = "InvalidRequest";
  /** A highlight to render lies (partly) outside the source. */
  public static final String HIGHLIGHT_OUT_OF_RANGE = "HighlightOutOfRange";
  /** A transient failure of a remote service or storage; retried. */
  public static final String TRANSIENT = "Transient";

  /** {@link ErrorInfo#type()} of a cancelled job (by signal, by Temporal, or through the API). */
  public static final String CANCELLED = "Cancelled";
  /** {@link ErrorInfo#type()} of a step that ran out of time (the message names the activity and the timeout). */
  public static final String TIMEOUT = "Timeout";

  public static final List<String> NON_RETRYABLE =
      List.of(
          SOURCE_NOT_FOUND,
          SOURCE_EMPTY,
          SOURCE_TOO_LARGE,
          UNSUPPORTED_SOURCE,
          SOURCE_NOT_ALLOWED,
          UNSUPPORTED_MEDIA,
          NO_AUDIO_STREAM,
          SOURCE_TRUNCATED,
          ENGINE_UNAVAILABLE,
          INVALID_REQUEST,
          HIGHLIGHT_OUT_OF_RANGE);

  private ErrorTypes() {}
}

package io.videopipe.loudness;

import java.io.IOException;

/**
 * FFmpeg could not read or decode a file to measure it (no audio stream, no decoder, a broken stream): the media is the
 * problem, so retrying will not help.
 */
public final class LoudnessMeasurementException extends IOException {
  public LoudnessMeasurementException(String message) {
    super(message);
  }
}

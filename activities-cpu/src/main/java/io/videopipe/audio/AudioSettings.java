package io.videopipe.audio;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the ExtractAudio activity.
 *
 * @param tempDir where the WAV is written before it is stored
 * @param progressEvery how often progress is heartbeated (the SDK throttles what it sends; a heartbeat is also where
 *     cancellation is noticed, so keep this well under a second)
 */
public record AudioSettings(Path tempDir, Duration progressEvery) {
  public AudioSettings {
    Objects.requireNonNull(tempDir, "tempDir");
    Objects.requireNonNull(progressEvery, "progressEvery");
    if (progressEvery.isNegative()) {
      throw new IllegalArgumentException("progressEvery must not be negative: " + progressEvery);
    }
  }

  public static AudioSettings defaults() {
    return new AudioSettings(Path.of(System.getProperty("java.io.tmpdir")), Duration.ofMillis(200));
  }
}

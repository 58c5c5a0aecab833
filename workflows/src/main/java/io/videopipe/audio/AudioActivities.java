package io.videopipe.audio;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface AudioActivities {

  /**
   * Probes the stored source (duration, streams, codecs, resolution) and decodes its first audio stream to 16 kHz mono
   * 16-bit PCM WAV at {@code jobs/<jobId>/audio/audio.wav}. Heartbeats percent of the duration decoded and stops within
   * about a second of cancellation. Fails non-retryably with {@code UnsupportedMedia} for data FFmpeg cannot read and
   * {@code NoAudioStream} when there is nothing to transcribe.
   */
  @ActivityMethod(name = "ExtractAudio")
  ExtractedAudio extractAudio(ExtractAudioRequest request);
}

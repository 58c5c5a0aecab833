package io.videopipe.audio;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface AudioActivities {

  /**
   * Probes the stored source (duration, streams, codecs, resolution) and decodes one audio stream (the requested one,
   * else the default-disposition one, else the first with sound; reported in {@link MediaInfo#audioTrack()}) to 16 kHz
   * mono 16-bit PCM WAV at {@code jobs/<jobId>/audio/audio.wav}. Heartbeats percent of the duration decoded and stops
   * within about a second of cancellation. Fails non-retryably with {@code UnsupportedMedia} for data FFmpeg cannot
   * read, {@code NoAudioStream} when there is nothing to transcribe, {@code SourceTruncated} when the audio decodes to
   * under half its declared duration (and more than 2 s short), {@code InvalidRequest} for a requested track the source
   * lacks.
   */
  @ActivityMethod(name = "ExtractAudio")
  ExtractedAudio extractAudio(ExtractAudioRequest request);
}

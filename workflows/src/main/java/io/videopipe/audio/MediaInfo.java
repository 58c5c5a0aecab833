package io.videopipe.audio;

import java.util.List;

/**
 * Probe result of a source file.
 *
 * @param container FFmpeg's format name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
 * @param durationSec container duration
 * @param bitRate overall bit rate in bits per second, 0 when unknown
 * @param video video streams (cover art excluded)
 * @param audio audio streams
 * @param audioTrack the audio stream ExtractAudio decoded and why; null from a bare probe (and in results recorded
 *     before tracks were chosen, when the first audio stream was decoded)
 */
public record MediaInfo(
    String container,
    double durationSec,
    long bitRate,
    List<VideoStream> video,
    List<AudioStream> audio,
    AudioTrack audioTrack) {

  public record VideoStream(int index, String codec, int width, int height, double fps) {}

  /**
   * @param durationSec the stream's own duration, 0 when the container does not say
   * @param language the stream's language tag (ISO 639-2, e.g. "eng"), null when untagged
   * @param isDefault the container marks it as the default audio track
   */
  public record AudioStream(
      int index,
      String codec,
      int sampleRate,
      int channels,
      String channelLayout,
      double durationSec,
      String language,
      boolean isDefault) {}

  /**
   * @param index stream index of the decoded audio stream (as in {@link AudioStream#index()})
   * @param language its language tag, null when untagged
   * @param reason why it was chosen, e.g. "requested index 2", "default track", "first track with sound (-23.1 dBFS)"
   */
  public record AudioTrack(int index, String language, String reason) {}

  /** This probe result with the chosen audio track. */
  public MediaInfo withAudioTrack(AudioTrack track) {
    return new MediaInfo(container, durationSec, bitRate, video, audio, track);
  }

  /** The audio stream ExtractAudio decodes: the chosen one, else (bare probes, old results) the first. */
  public AudioStream decodedAudio() {
    if (audioTrack != null) {
      for (AudioStream a : audio) {
        if (a.index() == audioTrack.index()) {
          return a;
        }
      }
    }
    return audio.isEmpty() ? null : audio.get(0);
  }

  /**
   * How long the decoded audio stream should decode to: its own duration when known (a video track may outlast the
   * audio), else the container's.
   */
  public double expectedAudioSec() {
    AudioStream decoded = decodedAudio();
    if (decoded != null && decoded.durationSec() > 0) {
      return decoded.durationSec();
    }
    return durationSec;
  }
}

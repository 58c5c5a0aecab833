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
 */
public record MediaInfo(
    String container, double durationSec, long bitRate, List<VideoStream> video, List<AudioStream> audio) {

  public record VideoStream(int index, String codec, int width, int height, double fps) {}

  /** @param durationSec the stream's own duration, 0 when the container does not say */
  public record AudioStream(
      int index, String codec, int sampleRate, int channels, String channelLayout, double durationSec) {}

  /**
   * How long the first audio stream should decode to: its own duration when known (a video track may outlast the
   * audio), else the container's.
   */
  public double expectedAudioSec() {
    if (!audio.isEmpty() && audio.get(0).durationSec() > 0) {
      return audio.get(0).durationSec();
    }
    return durationSec;
  }
}

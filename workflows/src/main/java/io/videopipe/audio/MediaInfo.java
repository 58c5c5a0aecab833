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

  public record AudioStream(int index, String codec, int sampleRate, int channels, String channelLayout) {}
}

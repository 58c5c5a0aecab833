package io.videopipe.clip;

/**
 * What every rendered clip is: the one statement of the delivery format, which {@link ClipRenderer} encodes to and QA
 * holds each stored clip to.
 */
public final class ClipOutputSpec {
  public static final String VIDEO_CODEC = "h264";
  /** H.264 High profile (profile_idc 100). */
  public static final int PROFILE = 100;
  public static final String PROFILE_NAME = "high";
  /** Level 4.0 (level_idc 40): 1080p at up to 30 fps. */
  public static final int LEVEL = 40;
  public static final String PIXEL_FORMAT = "yuv420p";
  /** Primaries, transfer and matrix, in the container and the bitstream. */
  public static final String COLOUR = "bt709";
  public static final String AUDIO_CODEC = "aac";
  public static final int SAMPLE_RATE = 48_000;
  public static final int CHANNELS = 2;
  public static final int AUDIO_BITRATE = 160_000;
  /** Level 4.0 caps the frame rate at 30 fps for 1080p. */
  public static final double MAX_FPS = 30;
  public static final int MAX_LONG_SIDE = 1920;
  public static final int MAX_SHORT_SIDE = 1080;
  /** Level 4.0 High profile: 25 Mbit/s max bitrate, 25 Mbit CPB; keep headroom. */
  public static final String MAX_RATE = "20000k";
  public static final String BUFSIZE = "25000k";

  /** Integrated loudness of every clip lies this close to the target. */
  public static final double LOUDNESS_TOLERANCE_LU = 0.5;
  /** Largest difference of integrated loudness between the clips of one job. */
  public static final double LOUDNESS_SPREAD_LU = 0.5;
  /** A reframed clip keeps the face's centre in the middle fifth of the width in at least this share of frames. */
  public static final double FACE_CENTRED_SHARE = 0.9;

  private ClipOutputSpec() {}

  /** The rates a clip of a variable frame rate source is made at: 23.976, 24, 25, 29.97, 30. */
  public static final double[] STANDARD_FPS = {24000.0 / 1001, 24, 25, 30000.0 / 1001, 30};

  /**
   * The output frame rate for a source's: 60 -> 30, 50 -> 25, 59.94 -> 29.97; up to 30 fps kept; unknown -> 25. A
   * variable frame rate source has no rate of its own to keep: its clip gets the standard rate ({@link #STANDARD_FPS})
   * nearest its average (at most 30 fps), e.g. 24.35 -> 24, 29.4 -> 29.97, 55 -> 30.
   */
  public static double outputFps(double sourceFps, boolean variable) {
    double f = sourceFps > 0 && Double.isFinite(sourceFps) ? sourceFps : 25;
    if (variable) {
      double best = STANDARD_FPS[0];
      for (double s : STANDARD_FPS) {
        if (Math.abs(s - Math.min(f, MAX_FPS)) < Math.abs(best - Math.min(f, MAX_FPS))) {
          best = s;
        }
      }
      return best;
    }
    if (f <= MAX_FPS + 1e-3) {
      return f;
    }
    for (int d = 2; d <= 8; d++) {
      if (f / d <= MAX_FPS + 1e-3 && f / d >= 23.9) {
        return f / d;
      }
    }
    return MAX_FPS;
  }
}

package io.videopipe.clip;

/**
 * How highlight clips are rendered.
 *
 * @param targetLufs integrated loudness every clip is normalised to (EBU R128), e.g. -14
 * @param maxTruePeakDbtp the highest true peak a clip may have, e.g. -1
 * @param vertical render a 9:16 centre crop (for short-form platforms) instead of the source's frame
 * @param burnCaptions draw the captions into the picture as well as writing SRT/VTT files: not available yet (the
 *     FFmpeg build has no libass and a fresh machine may have no font), so it is refused with a clear error
 */
public record ClipOptions(double targetLufs, double maxTruePeakDbtp, boolean vertical, boolean burnCaptions) {

  public static final double DEFAULT_TARGET_LUFS = -14;
  public static final double DEFAULT_MAX_TRUE_PEAK_DBTP = -1;

  public ClipOptions {
    if (burnCaptions) {
      throw new IllegalArgumentException(
          "burnCaptions is not available yet: the FFmpeg build has no libass; publish the clip's SRT or VTT captions"
              + " alongside it instead");
    }
    if (!(targetLufs >= -40 && targetLufs <= -5)) {
      throw new IllegalArgumentException("targetLufs must be between -40 and -5 LUFS, was " + targetLufs);
    }
    if (!(maxTruePeakDbtp >= -9 && maxTruePeakDbtp <= 0)) {
      throw new IllegalArgumentException("maxTruePeakDbtp must be between -9 and 0 dBTP, was " + maxTruePeakDbtp);
    }
  }

  public static ClipOptions defaults() {
    return new ClipOptions(DEFAULT_TARGET_LUFS, DEFAULT_MAX_TRUE_PEAK_DBTP, false, false);
  }
}

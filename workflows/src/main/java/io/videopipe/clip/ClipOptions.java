package io.videopipe.clip;

import java.util.List;

/**
 * How highlight clips are rendered.
 *
 * @param targetLufs integrated loudness every clip is normalised to (EBU R128), e.g. -14
 * @param maxTruePeakDbtp the highest true peak a clip may have, measured on the final AAC output, e.g. -1
 * @param vertical render 9:16 (for short-form platforms) instead of the source's frame; the same as {@code aspect
 *     "9:16"}
 * @param burnCaptions draw the transcript's words into the picture (word-timed, at most two lines, inside the safe
 *     area), as well as writing the SRT/VTT files
 * @param aspect the output frame: {@code "source"} (the source's own), {@code "9:16"} or {@code "1:1"}; 9:16 and 1:1
 *     follow the largest central face (a centre crop when none is seen). Null means {@code "9:16"} when {@code
 *     vertical}, else {@code "source"}
 * @param highlightWord with {@code burnCaptions}, colour the word being spoken
 */
public record ClipOptions(
    double targetLufs,
    double maxTruePeakDbtp,
    boolean vertical,
    boolean burnCaptions,
    String aspect,
    boolean highlightWord) {

  public static final double DEFAULT_TARGET_LUFS = -14;
  public static final double DEFAULT_MAX_TRUE_PEAK_DBTP = -1;
  public static final String SOURCE = "source";
  public static final String VERTICAL = "9:16";
  public static final String SQUARE = "1:1";
  public static final List<String> ASPECTS = List.of(SOURCE, VERTICAL, SQUARE);

  public ClipOptions {
    if (aspect == null || aspect.isBlank()) {
      aspect = vertical ? VERTICAL : SOURCE;
    }
    if (!ASPECTS.contains(aspect)) {
      throw new IllegalArgumentException("aspect must be one of " + ASPECTS + ", was " + aspect);
    }
    if (vertical && !VERTICAL.equals(aspect)) {
      throw new IllegalArgumentException("vertical asks for 9:16 but aspect is " + aspect + "; set only one of them");
    }
    vertical = VERTICAL.equals(aspect);
    if (highlightWord && !burnCaptions) {
      throw new IllegalArgumentException("highlightWord needs burnCaptions");
    }
    if (!(targetLufs >= -40 && targetLufs <= -5)) {
      throw new IllegalArgumentException("targetLufs must be between -40 and -5 LUFS, was " + targetLufs);
    }
    if (!(maxTruePeakDbtp >= -9 && maxTruePeakDbtp <= 0)) {
      throw new IllegalArgumentException("maxTruePeakDbtp must be between -9 and 0 dBTP, was " + maxTruePeakDbtp);
    }
  }

  /** The options of the first releases (no square frame, no word highlight). */
  public ClipOptions(double targetLufs, double maxTruePeakDbtp, boolean vertical, boolean burnCaptions) {
    this(targetLufs, maxTruePeakDbtp, vertical, burnCaptions, null, false);
  }

  public static ClipOptions defaults() {
    return new ClipOptions(DEFAULT_TARGET_LUFS, DEFAULT_MAX_TRUE_PEAK_DBTP, false, false);
  }

  /** True for the cropped frames (9:16, 1:1), which follow a face. */
  public boolean reframed() {
    return !SOURCE.equals(aspect);
  }

  /** Width over height of the output frame, or 0 for the source's own. */
  public double aspectRatio() {
    return switch (aspect) {
      case VERTICAL -> 9.0 / 16;
      case SQUARE -> 1.0;
      default -> 0;
    };
  }
}

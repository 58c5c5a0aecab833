package io.videopipe.clip;

import java.util.ArrayList;
import java.util.HashSet;
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
 * @param aspects several frames of every highlight, rendered from one decode (e.g. {@code ["source", "9:16",
 *     "1:1"]}): at most the three known aspects, no duplicates; the first is the primary clip ({@code clip-NN.mp4}) and
 *     also the {@code aspect}. {@code aspect}/{@code vertical} may be set with it only when they name that first entry.
 *     Null (or one entry) means the one frame of {@code aspect}
 */
public record ClipOptions(
    double targetLufs,
    double maxTruePeakDbtp,
    boolean vertical,
    boolean burnCaptions,
    String aspect,
    boolean highlightWord,
    List<String> aspects) {

  public static final double DEFAULT_TARGET_LUFS = -14;
  public static final double DEFAULT_MAX_TRUE_PEAK_DBTP = -1;
  public static final String SOURCE = "source";
  public static final String VERTICAL = "9:16";
  public static final String SQUARE = "1:1";
  public static final List<String> ASPECTS = List.of(SOURCE, VERTICAL, SQUARE);

  public ClipOptions {
    if (aspects != null && !aspects.isEmpty()) {
      List<String> given = new ArrayList<>();
      for (String a : aspects) {
        if (a == null || !ASPECTS.contains(a.trim())) {
          throw new IllegalArgumentException("aspects must each be one of " + ASPECTS + ", was " + a);
        }
        given.add(a.trim());
      }
      if (new HashSet<>(given).size() != given.size()) {
        throw new IllegalArgumentException("aspects must not repeat an aspect, was " + given);
      }
      String primary = given.get(0);
      if (aspect != null && !aspect.isBlank() && !aspect.equals(primary)) {
        throw new IllegalArgumentException("aspect " + aspect + " contradicts aspects " + given
            + " (whose first entry, " + primary + ", is the primary clip); set only aspects");
      }
      if (vertical && !VERTICAL.equals(primary)) {
        throw new IllegalArgumentException("vertical asks for a 9:16 primary clip but aspects " + given + " starts with "
            + primary + "; set only aspects");
      }
      aspect = primary;
      // one entry is the same job as aspect alone: one shape for equal options
      aspects = given.size() == 1 ? null : List.copyOf(given);
    } else {
      aspects = null;
    }
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

  /** One frame per highlight (no {@code aspects}). */
  public ClipOptions(double targetLufs, double maxTruePeakDbtp, boolean vertical, boolean burnCaptions, String aspect,
      boolean highlightWord) {
    this(targetLufs, maxTruePeakDbtp, vertical, burnCaptions, aspect, highlightWord, null);
  }

  /** The options of the first releases (no square frame, no word highlight). */
  public ClipOptions(double targetLufs, double maxTruePeakDbtp, boolean vertical, boolean burnCaptions) {
    this(targetLufs, maxTruePeakDbtp, vertical, burnCaptions, null, false, null);
  }

  /** Every frame each highlight is rendered in, the primary ({@link #aspect}) first. */
  public List<String> outputAspects() {
    return aspects == null ? List.of(aspect) : aspects;
  }

  /** These options for one of the {@link #outputAspects()}: that frame alone. */
  public ClipOptions forAspect(String outputAspect) {
    return new ClipOptions(targetLufs, maxTruePeakDbtp, false, burnCaptions, outputAspect, highlightWord, null);
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

package io.videopipe.highlight;

/**
 * Bounds for highlight selection. The constructor holds what any request, old or new, must meet; {@link
 * #requireLimits} the limits a new job is held to at submit ({@link io.videopipe.pipeline.JobRequest.Builder#build}),
 * kept out of the constructor so that a job accepted before a limit existed still reads its input when it replays.
 *
 * @param maxCount at most this many highlights, 0 to {@value #MAX_COUNT} (each is one clip rendered in parallel)
 * @param minSec shortest highlight, at least {@value #MIN_SEC} s
 * @param maxSec longest highlight, at most {@value #MAX_SEC} s
 */
public record HighlightOptions(int maxCount, double minSec, double maxSec) {
  /** The most highlights a job may ask for: each one is a clip rendered in parallel, then checked by QA. */
  public static final int MAX_COUNT = 20;
  /** The shortest highlight a job may ask for: a shorter one is not a sentence (and its loudness is not measurable). */
  public static final double MIN_SEC = 1;
  /** The longest highlight a job may ask for (5 minutes): longer is a cut of the video, not a highlight. */
  public static final double MAX_SEC = 300;

  public HighlightOptions {
    if (maxCount < 0) {
      throw new IllegalArgumentException("highlights.maxCount must be 0 or more, was " + maxCount);
    }
    if (!(minSec > 0)) {
      throw new IllegalArgumentException("highlights.minSec must be more than 0 seconds, was " + minSec);
    }
    if (!(maxSec >= minSec)) {
      throw new IllegalArgumentException(
          "highlights.maxSec must be at least highlights.minSec (" + minSec + "), was " + maxSec);
    }
  }

  /**
   * The limits of a new job's highlights: maxCount 0 to {@value #MAX_COUNT}, minSec at least {@value #MIN_SEC} s,
   * maxSec at most {@value #MAX_SEC} s.
   *
   * @throws IllegalArgumentException naming the field, the limit and the value
   */
  public HighlightOptions requireLimits() {
    if (maxCount > MAX_COUNT) {
      throw new IllegalArgumentException(
          "highlights.maxCount must be 0 to " + MAX_COUNT + " (one clip is rendered per highlight), was " + maxCount);
    }
    if (minSec < MIN_SEC) {
      throw new IllegalArgumentException(
          "highlights.minSec must be at least " + (int) MIN_SEC + " second, was " + minSec);
    }
    if (maxSec > MAX_SEC) {
      throw new IllegalArgumentException(
          "highlights.maxSec must be at most " + (int) MAX_SEC + " seconds, was " + maxSec);
    }
    return this;
  }

  public static HighlightOptions defaults() {
    return new HighlightOptions(5, 15, 60);
  }
}

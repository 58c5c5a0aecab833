package io.videopipe.highlight;

/**
 * Bounds for highlight selection.
 *
 * @param maxCount at most this many highlights
 * @param minSec shortest highlight
 * @param maxSec longest highlight
 */
public record HighlightOptions(int maxCount, double minSec, double maxSec) {
  public HighlightOptions {
    if (maxCount < 0 || minSec <= 0 || maxSec < minSec) {
      throw new IllegalArgumentException(
          "highlight bounds need maxCount >= 0 and 0 < minSec <= maxSec, got " + maxCount + ", " + minSec + ", " + maxSec);
    }
  }

  public static HighlightOptions defaults() {
    return new HighlightOptions(5, 15, 60);
  }
}

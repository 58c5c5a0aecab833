package io.videopipe.highlight;

import java.util.Map;

/**
 * One highlight: a stretch of complete sentences, ranked.
 *
 * @param rank 1 is the best
 * @param score the documented ranking score, 0..1
 * @param features the score's inputs by name, so a person can see why it ranked
 * @param title a short title for the clip
 */
public record Highlight(
    int rank,
    double startSec,
    double endSec,
    double score,
    String text,
    Map<String, Double> features,
    String title) {
  public double durationSec() {
    return endSec - startSec;
  }
}

package io.videopipe.bulk;

/** Children by outcome; {@code duplicates} were already started by an earlier attempt and not started again. */
public record BulkCounts(
    int started, int completed, int needsReview, int failed, int cancelled, int duplicates) {
  public static final BulkCounts ZERO = new BulkCounts(0, 0, 0, 0, 0, 0);

  public int finished() {
    return completed + needsReview + failed + cancelled;
  }
}

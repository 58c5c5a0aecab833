package io.videopipe.bulk;

import java.util.List;

/**
 * What one run of a bulk workflow hands the next through continue-as-new: where the selection stands and the counts so
 * far. {@code pending} holds the selected sources not started yet.
 */
public record BulkState(
    String cursor,
    boolean selectionDone,
    List<String> pending,
    String generation,
    int runs,
    BulkCounts counts,
    List<String> recentFailures) {

  public BulkState {
    pending = pending == null ? List.of() : pending;
    recentFailures = recentFailures == null ? List.of() : recentFailures;
    counts = counts == null ? BulkCounts.ZERO : counts;
  }

  public static BulkState initial() {
    return new BulkState(null, false, List.of(), null, 0, BulkCounts.ZERO, List.of());
  }
}

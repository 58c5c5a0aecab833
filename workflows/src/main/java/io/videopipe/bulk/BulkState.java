package io.videopipe.bulk;

import java.util.List;

/**
 * What one run of a bulk workflow hands the next through continue-as-new: where the selection stands and the counts so
 * far. {@code pending} holds the selected sources not started yet; {@code recentChildren} the ids of the last children
 * started (at most {@link BulkReprocessWorkflowImpl#RECENT_CHILDREN}), for the status of a run on a server without
 * visibility; {@code pendingOwners} the tenant of each pending source's past job ("" for the run's own tenant).
 */
public record BulkState(
    String cursor,
    boolean selectionDone,
    List<String> pending,
    String generation,
    int runs,
    BulkCounts counts,
    List<String> recentFailures,
    List<String> recentChildren,
    List<String> pendingOwners) {

  public BulkState {
    pending = pending == null ? List.of() : pending;
    recentChildren = recentChildren == null ? List.of() : recentChildren;
    // "" for a pending source the run's tenant owns; absent in states from before owners
    pendingOwners = pendingOwners == null || pendingOwners.size() != pending.size()
        ? java.util.Collections.nCopies(pending.size(), "")
        : pendingOwners;
    recentFailures = recentFailures == null ? List.of() : recentFailures;
    counts = counts == null ? BulkCounts.ZERO : counts;
  }

  public static BulkState initial() {
    return new BulkState(null, false, List.of(), null, 0, BulkCounts.ZERO, List.of(), List.of(), List.of());
  }
}

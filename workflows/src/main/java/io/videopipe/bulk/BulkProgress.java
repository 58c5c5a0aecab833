package io.videopipe.bulk;

import java.util.List;

/**
 * Where a bulk run stands.
 *
 * @param status RUNNING, COMPLETED or CANCELLED
 * @param running child jobs running now
 * @param runs how many times the workflow continued as new
 * @param recentFailures the last few failed sources with their reason
 */
public record BulkProgress(
    String status, boolean selectionDone, int running, BulkCounts counts, int runs, List<String> recentFailures) {}

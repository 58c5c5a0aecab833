package io.videopipe.bulk;

import io.videopipe.route.EngineMode;

/**
 * Body of {@code POST /api/v1/reprocess}: a storage {@code prefix}, or past jobs by {@code sourceEngine}, {@code from}
 * and {@code to}; then how the new jobs run.
 */
public record ReprocessSpec(
    String prefix,
    String sourceEngine,
    String from,
    String to,
    Integer concurrency,
    EngineMode engine,
    Integer priority,
    String language,
    String webhookUrl,
    Integer pageSize,
    Integer childrenPerRun) {

  public BulkRequest toRequest(String requestedBy, String tenant) {
    BulkSelection selection = new BulkSelection(prefix, sourceEngine, from, to);
    if (!selection.byPrefix()) {
      BulkReprocessActivitiesImpl.pastJobsQuery(selection); // validates engine and dates now, not in the workflow
    }
    return new BulkRequest(
        selection,
        concurrency == null ? 0 : concurrency,
        engine,
        priority == null ? 0 : priority,
        language,
        webhookUrl,
        requestedBy,
        null,
        pageSize == null ? 0 : pageSize,
        childrenPerRun == null ? 0 : childrenPerRun,
        null,
        tenant);
  }
}

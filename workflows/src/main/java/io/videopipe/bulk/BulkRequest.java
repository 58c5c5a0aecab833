package io.videopipe.bulk;

import io.videopipe.pipeline.JobRequest;
import io.videopipe.pipeline.TaskQueues;
import io.videopipe.route.EngineMode;

/**
 * Input of a {@link BulkReprocessWorkflow}: what to select and how each child job runs.
 *
 * @param concurrency the most child jobs running at once
 * @param pageSize sources selected per activity call
 * @param childrenPerRun children started before the workflow continues as new, to keep its history small
 * @param state carried across continue-as-new; null at the start
 * @param tenant the tenant that owns the run and every job it starts; null for none
 */
public record BulkRequest(
    BulkSelection selection,
    int concurrency,
    EngineMode engine,
    int priority,
    String language,
    String webhookUrl,
    String requestedBy,
    TaskQueues queues,
    int pageSize,
    int childrenPerRun,
    BulkState state,
    String tenant) {

  public static final int DEFAULT_CONCURRENCY = 4;
  public static final int MAX_CONCURRENCY = 100;

  public BulkRequest {
    if (selection == null) {
      throw new IllegalArgumentException("selection is required");
    }
    concurrency = concurrency == 0 ? DEFAULT_CONCURRENCY : concurrency;
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException("concurrency must be 1 to " + MAX_CONCURRENCY + ", was " + concurrency);
    }
    engine = engine == null ? EngineMode.AUTO : engine;
    priority = priority == 0 ? 4 : priority;
    JobRequest.requirePriority(priority);
    queues = queues == null ? TaskQueues.defaults() : queues;
    pageSize = pageSize <= 0 ? 100 : pageSize;
    childrenPerRun = childrenPerRun <= 0 ? 500 : childrenPerRun;
    state = state == null ? BulkState.initial() : state;
  }

  public static BulkRequest of(BulkSelection selection, int concurrency) {
    return new BulkRequest(selection, concurrency, null, 0, null, null, null, null, 0, 0, null, null);
  }

  public BulkRequest withState(BulkState s) {
    return new BulkRequest(selection, concurrency, engine, priority, language, webhookUrl, requestedBy, queues,
        pageSize, childrenPerRun, s, tenant);
  }

  public BulkRequest withPaging(int pageSize, int childrenPerRun) {
    return new BulkRequest(selection, concurrency, engine, priority, language, webhookUrl, requestedBy, queues,
        pageSize, childrenPerRun, state, tenant);
  }

  /**
   * The child job for one source.
   *
   * @param owner the tenant that owned the source's past job; null for the run's tenant
   */
  public JobRequest jobFor(String sourceUri, String owner) {
    return JobRequest.builder(sourceUri)
        .engine(engine)
        .priority(priority)
        .language(language)
        .webhookUrl(webhookUrl)
        .requestedBy(requestedBy)
        .queues(queues)
        .tenant(owner == null ? tenant : owner)
        .build();
  }
}

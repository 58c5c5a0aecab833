package io.videopipe.pipeline;

import io.videopipe.highlight.HighlightOptions;
import io.videopipe.route.EngineMode;

/**
 * Input of one {@link VideoPipelineWorkflow} run. The job id is the workflow id.
 *
 * @param sourceUri https://, gs://, file:// URI or local path of the video
 * @param engine requested transcription engine, or AUTO to let {@link io.videopipe.route.RoutePolicy} choose
 * @param priority Temporal priority key, 1 (highest) to 5
 * @param language BCP-47 language of the speech, e.g. "en"
 * @param highlights highlight selection bounds
 * @param keepSource keep the downloaded copy of the source after a successful run
 * @param requestedBy who asked for the job (shown in the memo)
 * @param queues task queue names; null means the defaults
 * @param budgetUsd the most the job may spend on transcription, in US dollars; null for no limit (see {@link
 *     io.videopipe.route.RoutePolicy})
 */
public record JobRequest(
    String sourceUri,
    EngineMode engine,
    int priority,
    String language,
    HighlightOptions highlights,
    boolean keepSource,
    String requestedBy,
    TaskQueues queues,
    Double budgetUsd) {

  public static final int DEFAULT_PRIORITY = 3;

  public JobRequest {
    if (sourceUri == null || sourceUri.isBlank()) {
      throw new IllegalArgumentException("sourceUri is required");
    }
    engine = engine == null ? EngineMode.AUTO : engine;
    priority = priority == 0 ? DEFAULT_PRIORITY : priority;
    if (priority < 1 || priority > 5) {
      throw new IllegalArgumentException("priority must be 1 (highest) to 5, was " + priority);
    }
    language = language == null || language.isBlank() ? "en" : language;
    highlights = highlights == null ? HighlightOptions.defaults() : highlights;
    queues = queues == null ? TaskQueues.defaults() : queues;
    if (budgetUsd != null && (budgetUsd.isNaN() || budgetUsd < 0)) {
      throw new IllegalArgumentException("budgetUsd must be >= 0, was " + budgetUsd);
    }
  }

  /** A request without a budget. */
  public JobRequest(
      String sourceUri,
      EngineMode engine,
      int priority,
      String language,
      HighlightOptions highlights,
      boolean keepSource,
      String requestedBy,
      TaskQueues queues) {
    this(sourceUri, engine, priority, language, highlights, keepSource, requestedBy, queues, null);
  }

  public static JobRequest of(String sourceUri) {
    return new JobRequest(sourceUri, EngineMode.AUTO, DEFAULT_PRIORITY, "en", null, false, null, null);
  }

  public JobRequest withEngine(EngineMode mode) {
    return new JobRequest(sourceUri, mode, priority, language, highlights, keepSource, requestedBy, queues, budgetUsd);
  }

  public JobRequest withPriority(int p) {
    return new JobRequest(sourceUri, engine, p, language, highlights, keepSource, requestedBy, queues, budgetUsd);
  }

  public JobRequest withQueues(TaskQueues q) {
    return new JobRequest(sourceUri, engine, priority, language, highlights, keepSource, requestedBy, q, budgetUsd);
  }

  public JobRequest withBudgetUsd(Double usd) {
    return new JobRequest(sourceUri, engine, priority, language, highlights, keepSource, requestedBy, queues, usd);
  }
}

package io.videopipe.pipeline;

import io.videopipe.clip.ClipOptions;
import io.videopipe.highlight.HighlightOptions;
import io.videopipe.route.EngineMode;

/**
 * Input of one {@link VideoPipelineWorkflow} run. The job id is the workflow id. Build one with {@link #builder(String)}.
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
 * @param clips how highlight clips are rendered
 * @param webhookUrl where the result summary is POSTed when the job ends; null for none
 * @param tenant the tenant that owns the job (memo and search attribute {@code VpTenant}); null for jobs started
 *     without one (the {@code process} command, jobs from before tenants)
 * @param audioTrack the source's audio track to transcribe: a stream index ("2") or a 2- or 3-letter language ("en",
 *     "eng"); null lets ExtractAudio choose (the default-disposition track, else the first that carries sound)
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
    Double budgetUsd,
    ClipOptions clips,
    String webhookUrl,
    String tenant,
    String audioTrack) {

  /** Highest priority key: its steps are dispatched first. */
  public static final int MIN_PRIORITY = 1;
  /** Lowest priority key. */
  public static final int MAX_PRIORITY = 5;
  public static final int DEFAULT_PRIORITY = 3;

  /** Fills in the defaults, then {@link #validate}s: every way to build a request (REST, CLI, bulk, Temporal's data
   * converter when the workflow reads its input) goes through here. */
  public JobRequest {
    engine = engine == null ? EngineMode.AUTO : engine;
    priority = priority == 0 ? DEFAULT_PRIORITY : priority;
    language = language == null || language.isBlank() ? "en" : language;
    highlights = highlights == null ? HighlightOptions.defaults() : highlights;
    queues = queues == null ? TaskQueues.defaults() : queues;
    clips = clips == null ? ClipOptions.defaults() : clips;
    webhookUrl = webhookUrl == null || webhookUrl.isBlank() ? null : webhookUrl;
    audioTrack = audioTrack == null || audioTrack.isBlank() ? null : audioTrack.trim();
    validate(sourceUri, priority, budgetUsd, audioTrack);
  }

  /**
   * Every rule a job request must meet, in one place; throws an {@link IllegalArgumentException} that names the field.
   * A new rule also refuses requests of jobs already running when their workflow replays: add it behind {@code
   * Workflow.getVersion} in the workflow if such requests can exist (CONTRIBUTING.md).
   */
  private static void validate(String sourceUri, int priority, Double budgetUsd, String audioTrack) {
    if (sourceUri == null || sourceUri.isBlank()) {
      throw new IllegalArgumentException("sourceUri is required");
    }
    requirePriority(priority);
    requireBudget(budgetUsd);
    // Whether the source has that track is known only once ExtractAudio probes it (InvalidRequest there).
    if (audioTrack != null && !audioTrack.matches("\\d{1,3}|[A-Za-z]{2,3}")) {
      throw new IllegalArgumentException(
          "audioTrack must be a stream index (0-999) or a 2- or 3-letter language code such as 'en' or 'eng', was '"
              + audioTrack
              + "'");
    }
  }

  /** The priority key rule, also for the reprioritise signal and bulk jobs: 1 (highest) to 5. */
  public static int requirePriority(int priority) {
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      throw new IllegalArgumentException("priority must be 1 (highest) to 5, was " + priority);
    }
    return priority;
  }

  /** The budget rule: none (null), or a positive, finite number of US dollars. */
  public static Double requireBudget(Double budgetUsd) {
    if (budgetUsd != null && (!(budgetUsd > 0) || budgetUsd.isInfinite())) {
      throw new IllegalArgumentException("budgetUsd must be a positive number of US dollars, was " + budgetUsd);
    }
    return budgetUsd;
  }

  /** The source as people may read it (see {@link SourceDisplay}); the raw URI goes only to the download. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public String sourceDisplay() {
    return SourceDisplay.redact(sourceUri);
  }

  public static JobRequest of(String sourceUri) {
    return builder(sourceUri).build();
  }

  public static Builder builder(String sourceUri) {
    return new Builder(sourceUri);
  }

  /** A builder holding this request's values, to change some of them. */
  public Builder toBuilder() {
    return new Builder(sourceUri)
        .engine(engine)
        .priority(priority)
        .language(language)
        .highlights(highlights)
        .keepSource(keepSource)
        .requestedBy(requestedBy)
        .queues(queues)
        .budgetUsd(budgetUsd)
        .clips(clips)
        .webhookUrl(webhookUrl)
        .tenant(tenant)
        .audioTrack(audioTrack);
  }

  public static final class Builder {
    private final String sourceUri;
    private EngineMode engine = EngineMode.AUTO;
    private int priority = DEFAULT_PRIORITY;
    private String language = "en";
    private HighlightOptions highlights;
    private boolean keepSource;
    private String requestedBy;
    private TaskQueues queues;
    private Double budgetUsd;
    private ClipOptions clips;
    private String webhookUrl;
    private String tenant;
    private String audioTrack;

    private Builder(String sourceUri) {
      this.sourceUri = sourceUri;
    }

    public Builder engine(EngineMode v) {
      engine = v;
      return this;
    }

    public Builder priority(int v) {
      priority = v;
      return this;
    }

    public Builder language(String v) {
      language = v;
      return this;
    }

    public Builder highlights(HighlightOptions v) {
      highlights = v;
      return this;
    }

    public Builder keepSource(boolean v) {
      keepSource = v;
      return this;
    }

    public Builder requestedBy(String v) {
      requestedBy = v;
      return this;
    }

    public Builder queues(TaskQueues v) {
      queues = v;
      return this;
    }

    public Builder budgetUsd(Double v) {
      budgetUsd = v;
      return this;
    }

    public Builder clips(ClipOptions v) {
      clips = v;
      return this;
    }

    public Builder webhookUrl(String v) {
      webhookUrl = v;
      return this;
    }

    public Builder tenant(String v) {
      tenant = v;
      return this;
    }

    public Builder audioTrack(String v) {
      audioTrack = v;
      return this;
    }

    /**
     * The request, checked by its constructor ({@link JobRequest#validate}) and by the limits new jobs are held to
     * ({@link HighlightOptions#requireLimits}): every new job is built here (REST, CLI, bulk children), while a
     * workflow reading its input goes through the constructor only, so a job accepted before a limit still replays.
     */
    public JobRequest build() {
      JobRequest request = new JobRequest(
          sourceUri, engine, priority, language, highlights, keepSource, requestedBy, queues, budgetUsd, clips,
          webhookUrl, tenant, audioTrack);
      request.highlights().requireLimits();
      return request;
    }
  }
}

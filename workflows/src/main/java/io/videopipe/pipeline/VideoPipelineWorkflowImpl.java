package io.videopipe.pipeline;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.common.Priority;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import io.videopipe.audio.AudioActivities;
import io.videopipe.audio.ExtractAudioRequest;
import io.videopipe.audio.ExtractedAudio;
import io.videopipe.cleanup.CleanupActivities;
import io.videopipe.clip.ClipActivities;
import io.videopipe.clip.ClipRequest;
import io.videopipe.clip.RenderedClip;
import io.videopipe.cost.CostActivities;
import io.videopipe.cost.CostReport;
import io.videopipe.cost.CostRequest;
import io.videopipe.download.DownloadActivities;
import io.videopipe.download.DownloadRequest;
import io.videopipe.download.StoredSource;
import io.videopipe.highlight.Highlight;
import io.videopipe.highlight.HighlightActivities;
import io.videopipe.highlight.HighlightRequest;
import io.videopipe.highlight.HighlightSet;
import io.videopipe.notify.WebhookActivities;
import io.videopipe.notify.WebhookCalls;
import io.videopipe.notify.WebhookDelivery;
import io.videopipe.notify.WebhookPayload;
import io.videopipe.notify.WebhookReceipt;
import io.videopipe.qa.QaActivities;
import io.videopipe.qa.QaCheck;
import io.videopipe.qa.QaReport;
import io.videopipe.qa.QaRequest;
import io.videopipe.refine.RefineActivities;
import io.videopipe.refine.RefineRequest;
import io.videopipe.route.Engine;
import io.videopipe.route.RouteActivities;
import io.videopipe.route.RouteFacts;
import io.videopipe.route.RoutePlan;
import io.videopipe.route.RoutePolicy;
import io.videopipe.transcribe.TranscribeActivities;
import io.videopipe.transcribe.TranscribeRequest;
import io.videopipe.transcribe.TranscriptionOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;

/**
 * The video job: download, extract audio, route, transcribe (with engine fallback), highlight, render clips, QA, cost.
 * Every step is an activity on the CPU queue except PARAKEET transcription, which runs on the GPU queue. Compensations
 * are registered before each artifact-producing step, and run on failure and on cancellation.
 *
 * <p>Clips render in parallel, one RenderClip activity per highlight. A clip that fails a QA check, or could not be
 * rendered at all, is rendered once more (attempt 2) and QA runs again; a clip that still fails makes the job
 * NEEDS_REVIEW (completed, with a failed QA verdict), never FAILED: the transcript and the other clips stand.
 */
public class VideoPipelineWorkflowImpl implements VideoPipelineWorkflow {

  private static final Logger log = Workflow.getLogger(VideoPipelineWorkflowImpl.class);

  /** 16 kHz mono 16-bit PCM, the format ExtractAudio writes. */
  private static final long WAV_BYTES_PER_SEC = 32_000;

  static final String TOTAL = "total";
  static final String CANCELLED_TYPE = "Cancelled";
  static final String TIMEOUT_TYPE = "Timeout";

  /**
   * How many times a transcription whose attempts all ended in heartbeat timeouts (its workers died: killed, evicted,
   * out of memory) is scheduled again on the same engine before it counts as that engine failing. Each schedule has
   * {@link PipelineTimeouts#transcribeMaxAttempts()} attempts of its own.
   */
  static final int MAX_WORKER_LOSSES = 3;

  private final PipelineTimeouts timeouts;

  private String jobId;
  private TaskQueues queues = TaskQueues.defaults();
  private JobRequest request;
  private JobStatus status = JobStatus.RUNNING;
  private Step step = Step.QUEUED;
  private String engine;
  // 0 until the request or a reprioritise signal sets it; a signal may be handled before run() reads the request.
  private int priority;
  private String detail = "queued";
  private CancellationScope stepsScope;
  private JobResult finalResult;
  private WebhookDelivery webhook;
  private String cancelReason;

  private StoredSource stored;
  private ExtractedAudio audio;
  private RoutePlan plan;
  private TranscriptionSummary transcription;
  private Engine transcribedBy;
  private HighlightSet highlights;
  private final Map<Integer, RenderedClip> clips = new TreeMap<>();
  private final Map<Integer, String> renderFailures = new TreeMap<>();
  private QaReport qa;
  private CostReport cost;
  private final List<String> fallbacks = new ArrayList<>();
  private final List<StepTiming> stepTimings = new ArrayList<>();
  private final Map<String, Double> timings = new LinkedHashMap<>();

  public VideoPipelineWorkflowImpl() {
    this(PipelineTimeouts.defaults());
  }

  /** For workers that configure timeouts: register with {@code registerWorkflowImplementationFactory}. */
  public VideoPipelineWorkflowImpl(PipelineTimeouts timeouts) {
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
  }

  @Override
  public JobResult run(JobRequest request) {
    this.request = request;
    this.jobId = Workflow.getInfo().getWorkflowId();
    this.queues = request.queues();
    if (priority == 0) {
      priority = request.priority();
    }
    long started = Workflow.currentTimeMillis();
    Workflow.upsertTypedSearchAttributes(
        SearchAttributes.STATUS.valueSet(JobStatus.RUNNING.name()),
        SearchAttributes.STEP.valueSet(Step.QUEUED.name()),
        SearchAttributes.PRIORITY.valueSet((long) priority));

    // Sequential and best-effort: every compensation runs even when an earlier one fails.
    Saga saga = new Saga(new Saga.Options.Builder().setParallelCompensation(false).setContinueWithError(true).build());
    stepsScope = Workflow.newCancellationScope(() -> runSteps(saga));
    if (cancelReason != null) {
      stepsScope.cancel(cancelReason);
    }
    try {
      stepsScope.run();
    } catch (TemporalFailure e) {
      timings.put(TOTAL, secondsSince(started));
      if (isCancellation(e)) {
        String reason = cancellationReason();
        setDetail("cancelled: " + reason + "; deleting the job's artifacts");
        compensate(saga);
        finish(JobStatus.CANCELLED, "cancelled: " + reason);
        JobResult cancelled = result(JobStatus.CANCELLED, new ErrorInfo(CANCELLED_TYPE, reason));
        notifyWebhook(cancelled);
        throw new CanceledFailure(reason, cancelled);
      }
      ErrorInfo error = describe(e);
      setDetail("failed at " + step.name() + ": " + error.message() + "; deleting the job's artifacts");
      compensate(saga);
      finish(JobStatus.FAILED, "failed at " + step.name() + ": " + error.type() + ": " + error.message());
      JobResult failed = result(JobStatus.FAILED, error);
      notifyWebhook(failed);
      throw ApplicationFailure.newNonRetryableFailureWithCause(error.message(), error.type(), e, failed);
    }

    timings.put(TOTAL, secondsSince(started));
    JobStatus outcome = qa.passed() ? JobStatus.COMPLETED : JobStatus.NEEDS_REVIEW;
    step = Step.DONE;
    Workflow.upsertTypedSearchAttributes(
        SearchAttributes.STEP.valueSet(Step.DONE.name()),
        SearchAttributes.COST_USD.valueSet(cost.totalUsd()));
    finish(outcome, outcome == JobStatus.COMPLETED ? "done" : "done; a QA check failed, a person should review it");
    JobResult done = result(outcome, null);
    notifyWebhook(done);
    return done;
  }

  @Override
  public Progress progress() {
    int percent = step.startPercent;
    return new Progress(
        status, step, percent, engine, priority == 0 ? JobRequest.DEFAULT_PRIORITY : priority, detail);
  }

  @Override
  public List<StepTiming> stepTimings() {
    return List.copyOf(stepTimings);
  }

  @Override
  public void cancel(String reason) {
    if (cancelReason != null || status != JobStatus.RUNNING) {
      return;
    }
    cancelReason = reason == null || reason.isBlank() ? "cancelled by request" : reason;
    setDetail("cancelling: " + cancelReason);
    if (stepsScope != null) {
      stepsScope.cancel(cancelReason);
    }
  }

  @Override
  public void reprioritize(int newPriority) {
    if (newPriority < 1 || newPriority > 5) {
      // A signal cannot answer; an out-of-range key is dropped rather than failing the workflow task.
      log.warn("ignoring priority {} for job {}: must be 1 (highest) to 5", newPriority, jobId);
      return;
    }
    if (newPriority == priority || status != JobStatus.RUNNING) {
      return;
    }
    priority = newPriority;
    if (jobId != null) {
      Workflow.upsertTypedSearchAttributes(SearchAttributes.PRIORITY.valueSet((long) newPriority));
    }
  }

  private void runSteps(Saga saga) {
    String cpu = queues.cpu();

    saga.addCompensation(() -> deleteArtifacts(JobPaths.SOURCE));
    stored =
        runStep(
            Step.DOWNLOAD,
            "downloading " + request.sourceDisplay(),
            () -> stub(DownloadActivities.class, options(cpu, timeouts.download(), true, timeouts.maxAttempts()))
                .download(new DownloadRequest(jobId, request.sourceUri())),
            r -> 0);

    saga.addCompensation(() -> deleteArtifacts(JobPaths.AUDIO));
    audio =
        runStep(
            Step.EXTRACT_AUDIO,
            "extracting audio from " + stored.sizeBytes() + " bytes",
            () -> stub(AudioActivities.class, options(cpu, timeouts.extractAudio(), true, timeouts.maxAttempts()))
                .extractAudio(new ExtractAudioRequest(jobId, stored.storedUri())),
            ExtractedAudio::computeSec);

    RouteFacts facts =
        runStep(
            Step.ROUTE,
            "choosing a transcription engine",
            () -> stub(RouteActivities.class, options(cpu, timeouts.route(), false, timeouts.maxAttempts()))
                .gatherFacts(),
            r -> 0);
    plan = RoutePolicy.plan(request.engine(), audio.audioDurationSec(), priority, request.budgetUsd(), facts);
    engine = plan.primary().wireName();
    Workflow.upsertTypedSearchAttributes(
        SearchAttributes.ENGINE.valueSet(engine), SearchAttributes.ROUTE.valueSet(plan.reason()));
    Workflow.upsertMemo(Map.of(VideoPipelineOptions.MEMO_ROUTE, plan.reason()));
    log.info("job {} route: {}", jobId, plan.reason());

    saga.addCompensation(() -> deleteArtifacts(JobPaths.TRANSCRIPT));
    TranscriptionOutcome transcribed = transcribe();
    if (plan.refiner() != null && transcribedBy == plan.primary()) {
      saga.addCompensation(() -> deleteArtifacts(JobPaths.TRANSCRIPT));
      transcribed = refine(transcribed);
    }
    TranscriptionOutcome transcript = transcribed;

    saga.addCompensation(() -> deleteArtifacts(JobPaths.HIGHLIGHTS));
    highlights =
        runStep(
            Step.HIGHLIGHT,
            "picking highlights from " + transcript.words() + " words",
            () -> stub(HighlightActivities.class, options(cpu, timeouts.highlights(), true, timeouts.maxAttempts()))
                .pickHighlights(
                    new HighlightRequest(jobId, transcript.transcriptUri(), audio.audioUri(), request.highlights())),
            HighlightSet::computeSec);

    saga.addCompensation(() -> deleteArtifacts(JobPaths.CLIPS));
    renderClips(highlights.highlights(), transcript.transcriptUri(), 1);

    saga.addCompensation(() -> deleteArtifacts(JobPaths.QA));
    qa = checkQuality(transcript.transcriptUri());
    Set<Integer> again = new TreeSet<>(qa.failedClips());
    again.addAll(renderFailures.keySet());
    if (!again.isEmpty()) {
      log.info("job {}: rendering clip(s) {} again after a failed check", jobId, again);
      List<Highlight> retry = new ArrayList<>();
      for (Highlight h : highlights.highlights()) {
        if (again.contains(h.rank())) {
          retry.add(h);
        }
      }
      renderClips(retry, transcript.transcriptUri(), 2);
      qa = checkQuality(transcript.transcriptUri());
    }
    qa = withRenderFailures(qa);

    // Bytes the job keeps: the WAV and the clips always, the source copy only when asked to keep it; text artifacts are
    // negligible.
    long storedBytes =
        Math.round(audio.audioDurationSec() * WAV_BYTES_PER_SEC) + (request.keepSource() ? stored.sizeBytes() : 0)
            + clips.values().stream().mapToLong(RenderedClip::sizeBytes).sum();
    saga.addCompensation(() -> deleteArtifacts(JobPaths.COST));
    cost =
        runStep(
            Step.COST,
            "pricing " + stepTimings.size() + " step runs",
            () -> stub(CostActivities.class, options(cpu, timeouts.cost(), false, timeouts.maxAttempts()))
                .computeCost(
                    new CostRequest(
                        jobId, List.copyOf(stepTimings), audio.audioDurationSec(), storedBytes, facts.options())),
            r -> 0);

    if (!request.keepSource()) {
      setDetail("deleting the downloaded source");
      try {
        deleteArtifacts(JobPaths.SOURCE);
      } catch (ActivityFailure e) {
        if (isCancellation(e)) {
          throw e;
        }
        // The job's results are complete; a leftover source copy is not worth failing it for.
        log.warn("job {}: could not delete the downloaded source: {}", jobId, describe(e).message());
      }
    }
  }

  /**
   * Renders the given highlights' clips in parallel, one activity each. A clip whose render fails after its retries is
   * recorded in {@link #renderFailures} rather than failing the job; a cancellation still cancels the job.
   */
  private void renderClips(List<Highlight> toRender, String transcriptUri, int attempt) {
    if (toRender.isEmpty()) {
      return;
    }
    enter(
        Step.RENDER,
        (attempt == 1 ? "rendering " : "rendering again ") + toRender.size() + " clip" + (toRender.size() == 1 ? "" : "s")
            + (attempt == 1 ? "" : " (ranks " + toRender.stream().map(h -> String.valueOf(h.rank())).toList() + ")"));
    long started = Workflow.currentTimeMillis();
    ClipActivities renderer =
        stub(ClipActivities.class, options(queues.cpu(), timeouts.render(), true, timeouts.maxAttempts()));
    List<Promise<Void>> done = new ArrayList<>();
    for (Highlight h : toRender) {
      long clipStarted = Workflow.currentTimeMillis();
      Promise<RenderedClip> rendered =
          Async.function(
              renderer::render,
              new ClipRequest(jobId, stored.storedUri(), transcriptUri, h, request.clips(), attempt));
      done.add(
          rendered.handle(
              (clip, failure) -> {
                boolean ok = failure == null;
                stepTimings.add(
                    new StepTiming(
                        Step.RENDER, queues.cpu(), secondsSince(clipStarted), ok ? clip.computeSec() : 0, null, ok));
                if (ok) {
                  clips.put(h.rank(), clip);
                  renderFailures.remove(h.rank());
                } else {
                  renderFailures.put(h.rank(), describe(failure).message());
                }
                return null;
              }));
    }
    try {
      Promise.allOf(done).get();
    } finally {
      timings.merge(key(Step.RENDER), secondsSince(started), Double::sum);
    }
    if (stepsScope.isCancelRequested()) {
      throw new CanceledFailure(cancellationReason());
    }
  }

  private QaReport checkQuality(String transcriptUri) {
    List<Highlight> hs = highlights.highlights();
    return runStep(
        Step.QA,
        "checking " + hs.size() + " highlights and " + clips.size() + " clips",
        () -> stub(QaActivities.class, options(queues.cpu(), timeouts.qa(), true, timeouts.maxAttempts()))
            .check(
                new QaRequest(
                    jobId,
                    audio.audioUri(),
                    transcriptUri,
                    audio.media() == null ? audio.audioDurationSec() : audio.media().expectedAudioSec(),
                    hs,
                    request.highlights(),
                    List.copyOf(clips.values()),
                    request.clips())),
        QaReport::computeSec);
  }

  /** A clip that could not be rendered twice is a failed check of the job, with the render's error as its value. */
  private QaReport withRenderFailures(QaReport report) {
    if (renderFailures.isEmpty()) {
      return report;
    }
    List<QaCheck> checks = new ArrayList<>(report.checks());
    renderFailures.forEach(
        (rank, error) -> checks.add(new QaCheck("clip.rendered", false, "render failed twice: " + error, "a clip", rank)));
    return new QaReport(false, List.copyOf(checks), report.reportUri(), report.computeSec());
  }

  /** Tries the plan's engines in order; the first transcript wins, every failure is kept for the summary. */
  private TranscriptionOutcome transcribe() {
    enter(Step.TRANSCRIBE, "transcribing with " + plan.primary().wireName());
    List<Engine> order = new ArrayList<>();
    order.add(plan.primary());
    order.addAll(plan.fallbacks());
    long stepStarted = Workflow.currentTimeMillis();
    ErrorInfo lastError = null;
    ActivityFailure lastFailure = null;
    try {
      int workerLosses = 0;
      for (int next = 0; next < order.size(); next++) {
        Engine candidate = order.get(next);
        String queue = candidate.gpu ? queues.gpu() : queues.cpu();
        if (!candidate.wireName().equals(engine)) {
          engine = candidate.wireName();
          Workflow.upsertTypedSearchAttributes(SearchAttributes.ENGINE.valueSet(engine));
        }
        setDetail(
            "transcribing with " + engine + " on " + queue
                + (fallbacks.isEmpty() ? "" : " after " + String.join("; ", fallbacks)));
        ActivityOptions.Builder options =
            options(queue, timeouts.transcribe(), true, timeouts.transcribeMaxAttempts());
        if (candidate.gpu) {
          // No GPU worker polling: give up after this long and let the next engine take the job.
          options.setScheduleToStartTimeout(timeouts.gpuScheduleToStart());
        }
        long attemptStarted = Workflow.currentTimeMillis();
        try {
          TranscriptionOutcome outcome =
              stub(TranscribeActivities.class, options)
                  .transcribe(new TranscribeRequest(jobId, audio.audioUri(), candidate, request.language()));
          stepTimings.add(
              new StepTiming(
                  Step.TRANSCRIBE, queue, secondsSince(attemptStarted), outcome.computeSec(), engine, true,
                  audio.audioDurationSec()));
          transcribedBy = candidate;
          transcription = summary(outcome, (outcome.engine() == null ? candidate : outcome.engine()).wireName());
          return outcome;
        } catch (ActivityFailure e) {
          stepTimings.add(
              new StepTiming(
                  Step.TRANSCRIBE, queue, secondsSince(attemptStarted), 0, engine, false, audio.audioDurationSec()));
          if (isCancellation(e)) {
            throw e;
          }
          if (isWorkerLoss(e) && workerLosses < MAX_WORKER_LOSSES) {
            // Workers that died mid-attempt say nothing about the engine: run it again rather than fall back or fail.
            workerLosses++;
            next--;
            log.warn("job {}: the worker running {} stopped heartbeating ({} of {}); scheduling it again", jobId, engine,
                workerLosses, MAX_WORKER_LOSSES);
            continue;
          }
          lastFailure = e;
          lastError = describe(e);
          fallbacks.add(engine + ": " + lastError.message());
          log.warn("job {}: {} failed ({}), {} engine(s) left", jobId, engine, lastError.message(),
              order.size() - next - 1);
        }
      }
    } finally {
      timings.merge(key(Step.TRANSCRIBE), secondsSince(stepStarted), Double::sum);
    }
    transcription =
        new TranscriptionSummary(null, List.copyOf(fallbacks), plan.reason(), 0, 0, null, Map.of());
    throw ApplicationFailure.newNonRetryableFailureWithCause(
        "no transcription engine succeeded: " + String.join("; ", fallbacks), lastError.type(), lastFailure);
  }

  /**
   * HYBRID's second pass: the refiner re-transcribes the primary's low-confidence stretches. A refinement that fails
   * after its retries keeps the primary's transcript (the activity rewrites it only once every stretch is done) and is
   * listed in the fallbacks.
   */
  private TranscriptionOutcome refine(TranscriptionOutcome primary) {
    Engine refiner = plan.refiner();
    String queue = queues.cpu();
    String primaryName = transcription.engine();
    enter(Step.REFINE, "re-transcribing the low-confidence stretches of the " + primaryName + " transcript with "
        + refiner.wireName());
    long started = Workflow.currentTimeMillis();
    try {
      TranscriptionOutcome refined =
          stub(RefineActivities.class, options(queue, timeouts.transcribe(), true, timeouts.transcribeMaxAttempts()))
              .refineLowConfidence(
                  new RefineRequest(jobId, audio.audioUri(), primary.transcriptUri(), refiner, request.language()));
      String sent = refined.engineMetadata().get(RefineActivities.REFINED_SEC);
      stepTimings.add(
          new StepTiming(
              Step.REFINE, queue, secondsSince(started), refined.computeSec(), refiner.wireName(), true,
              sent == null ? null : Double.valueOf(sent)));
      if (!"0".equals(refined.engineMetadata().get(RefineActivities.REFINED_WINDOWS))) {
        engine = primaryName + "+" + refiner.wireName();
        Workflow.upsertTypedSearchAttributes(SearchAttributes.ENGINE.valueSet(engine));
      }
      transcription = summary(refined, engine);
      return refined;
    } catch (ActivityFailure e) {
      // How much audio the failed attempts sent is not known here: priced as the whole audio, an upper bound.
      stepTimings.add(new StepTiming(Step.REFINE, queue, secondsSince(started), 0, refiner.wireName(), false));
      if (isCancellation(e)) {
        throw e;
      }
      ErrorInfo error = describe(e);
      fallbacks.add(refiner.wireName() + " refinement: " + error.message() + "; kept the " + primaryName
          + " transcript");
      log.warn("job {}: {} refinement failed ({}), keeping the {} transcript", jobId, refiner.wireName(),
          error.message(), primaryName);
      transcription = summary(primary, primaryName);
      return primary;
    } finally {
      timings.merge(key(Step.REFINE), secondsSince(started), Double::sum);
    }
  }

  private TranscriptionSummary summary(TranscriptionOutcome outcome, String engineName) {
    String text = outcome.textPreview();
    if (text != null && text.length() > TranscriptionSummary.PREVIEW_CHARS) {
      text = text.substring(0, TranscriptionSummary.PREVIEW_CHARS);
    }
    return new TranscriptionSummary(
        engineName,
        List.copyOf(fallbacks),
        plan.reason(),
        outcome.words(),
        outcome.meanConfidence(),
        text,
        outcome.artifacts() == null ? Map.of() : new LinkedHashMap<>(outcome.artifacts()));
  }

  private <T> T runStep(Step s, String what, Functions.Func<T> call, ToDoubleFunction<T> computeSec) {
    enter(s, what);
    long started = Workflow.currentTimeMillis();
    try {
      T value = call.apply();
      stepTimings.add(
          new StepTiming(s, queues.cpu(), secondsSince(started), computeSec.applyAsDouble(value), null, true));
      return value;
    } catch (TemporalFailure e) {
      stepTimings.add(new StepTiming(s, queues.cpu(), secondsSince(started), 0, null, false));
      throw e;
    } finally {
      timings.merge(key(s), secondsSince(started), Double::sum);
    }
  }

  private void enter(Step s, String what) {
    step = s;
    setDetail(what);
    Workflow.upsertTypedSearchAttributes(SearchAttributes.STEP.valueSet(s.name()));
  }

  private void finish(JobStatus s, String what) {
    status = s;
    setDetail(what);
    Workflow.upsertTypedSearchAttributes(SearchAttributes.STATUS.valueSet(s.name()));
  }

  /** What the job is doing, for the progress query and the Web UI's current details (and each activity's summary). */
  private void setDetail(String what) {
    detail = what;
    Workflow.setCurrentDetails(step.name() + ": " + what);
  }

  private void deleteArtifacts(String prefix) {
    stub(CleanupActivities.class, options(queues.cpu(), timeouts.cleanup(), false, timeouts.maxAttempts()))
        .deleteArtifacts(jobId, List.of(prefix));
  }

  /**
   * Best effort, in a detached scope so it also runs after a cancellation: an undelivered webhook is logged and never
   * changes the job's outcome.
   */
  private void notifyWebhook(JobResult result) {
    finalResult = result;
    if (request.webhookUrl() == null) {
      return;
    }
    webhook = WebhookDelivery.pending();
    Workflow.newDetachedCancellationScope(
            () -> {
              try {
                WebhookReceipt receipt =
                    Workflow.newActivityStub(WebhookActivities.class, WebhookCalls.options(queues.cpu()))
                        .notifyWebhook(request.webhookUrl(), WebhookPayload.of(result));
                webhook =
                    new WebhookDelivery(
                        WebhookDelivery.DELIVERED,
                        receipt == null ? 1 : receipt.attempt(),
                        receipt == null ? null : receipt.httpStatus(),
                        java.time.Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString(),
                        null);
              } catch (ActivityFailure e) {
                ErrorInfo error = describe(e);
                WebhookReceipt last = lastReceipt(e);
                webhook =
                    new WebhookDelivery(
                        WebhookActivities.REJECTED_TYPE.equals(error.type())
                            ? WebhookDelivery.REFUSED
                            : WebhookDelivery.FAILED,
                        last == null ? 0 : last.attempt(),
                        last == null || last.httpStatus() == 0 ? null : last.httpStatus(),
                        null,
                        error.message());
                log.warn("job {}: webhook not delivered: {}", jobId, error.message());
              }
            })
        .run();
  }

  /** The receipt the last webhook attempt left in its failure's details, if any. */
  private static WebhookReceipt lastReceipt(ActivityFailure e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure af && af.getDetails() != null && af.getDetails().getSize() > 0) {
        try {
          return af.getDetails().get(WebhookReceipt.class);
        } catch (RuntimeException notAReceipt) {
          return null;
        }
      }
    }
    return null;
  }

  @Override
  public JobResult finalResult() {
    return finalResult;
  }

  @Override
  public WebhookDelivery webhookDelivery() {
    return webhook;
  }

  /** Runs the compensations in a detached scope, so they also run when the workflow itself was cancelled. */
  private void compensate(Saga saga) {
    Workflow.newDetachedCancellationScope(
            () -> {
              try {
                saga.compensate();
              } catch (Saga.CompensationException e) {
                // Every compensation was still attempted; the leftovers are logged for an operator.
                log.error("job {}: some artifacts could not be deleted: {}", jobId, e.getMessage());
              }
            })
        .run();
  }

  private boolean isCancellation(TemporalFailure e) {
    return (stepsScope != null && stepsScope.isCancelRequested())
        || e instanceof CanceledFailure
        || e.getCause() instanceof CanceledFailure;
  }

  /** The last attempt ended because its worker stopped heartbeating, not because the engine reported a failure. */
  private static boolean isWorkerLoss(ActivityFailure e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof TimeoutFailure timeout) {
        return timeout.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_HEARTBEAT;
      }
    }
    return false;
  }

  private String cancellationReason() {
    if (cancelReason != null) {
      return cancelReason;
    }
    String reason = CancellationScope.current().getCancellationReason();
    return reason == null || reason.isBlank() ? "cancelled through Temporal" : reason;
  }

  /**
   * Options of one activity call, built per call so a reprioritise signal reaches every step scheduled after it.
   */
  private ActivityOptions.Builder options(String queue, Duration startToClose, boolean heartbeats, int maxAttempts) {
    ActivityOptions.Builder b =
        ActivityOptions.newBuilder()
            .setTaskQueue(queue)
            .setStartToCloseTimeout(startToClose)
            // Compensation must not start while the cancelled activity is still writing.
            .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
            .setPriority(Priority.newBuilder().setPriorityKey(priority).build())
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setInitialInterval(timeouts.initialRetryInterval())
                    .setBackoffCoefficient(2)
                    .setMaximumInterval(timeouts.maxRetryInterval())
                    .setMaximumAttempts(maxAttempts)
                    .setDoNotRetry(ErrorTypes.NON_RETRYABLE.toArray(new String[0]))
                    .build());
    if (heartbeats) {
      b.setHeartbeatTimeout(timeouts.heartbeat());
    }
    // what the Web UI shows on the activity, so an operator need not open its payload
    b.setSummary(detail.length() > 200 ? detail.substring(0, 197) + "..." : detail);
    return b;
  }

  private static <T> T stub(Class<T> activities, ActivityOptions.Builder options) {
    return Workflow.newActivityStub(activities, options.build());
  }

  private JobResult result(JobStatus s, ErrorInfo error) {
    SourceInfo source =
        stored == null
            ? new SourceInfo(request.sourceDisplay(), null, 0, null, null)
            : new SourceInfo(
                stored.sourceUri(), stored.storedUri(), stored.sizeBytes(), stored.sha256(),
                audio == null ? null : audio.media());
    TranscriptionSummary summary = transcription;
    if (summary == null && plan != null) {
      summary = new TranscriptionSummary(null, List.copyOf(fallbacks), plan.reason(), 0, 0, null, Map.of());
    }
    return new JobResult(
        jobId,
        s,
        source,
        summary,
        highlights == null ? List.of() : highlights.highlights(),
        List.copyOf(clips.values()),
        qa,
        cost,
        artifacts(summary),
        new LinkedHashMap<>(timings),
        error);
  }

  /** Every export the job has written so far, by file name. */
  private Map<String, String> artifacts(TranscriptionSummary summary) {
    Map<String, String> out = new LinkedHashMap<>();
    if (stored != null && request.keepSource()) {
      out.put("source", stored.storedUri());
    }
    if (audio != null) {
      out.put("audio.wav", audio.audioUri());
    }
    if (summary != null && summary.artifacts() != null) {
      summary.artifacts().forEach((format, uri) -> out.put("transcript." + format, uri));
    }
    if (highlights != null) {
      out.put("highlights.json", highlights.highlightsUri());
    }
    for (RenderedClip c : clips.values()) {
      String name = String.format(Locale.ROOT, "clip-%02d", c.rank());
      out.put(name + ".mp4", c.clipUri());
      if (c.srtUri() != null) {
        out.put(name + ".srt", c.srtUri());
      }
      if (c.vttUri() != null) {
        out.put(name + ".vtt", c.vttUri());
      }
    }
    if (qa != null && qa.reportUri() != null) {
      out.put("qa.json", qa.reportUri());
    }
    if (cost != null && cost.reportUri() != null) {
      out.put("cost.json", cost.reportUri());
    }
    return out;
  }

  /** The failure a person should see: the activity's own type and message, not Temporal's wrapper. */
  static ErrorInfo describe(Throwable failure) {
    Throwable t = failure;
    String activityType = null;
    while (t instanceof ActivityFailure && t.getCause() != null) {
      activityType = ((ActivityFailure) t).getActivityType();
      t = t.getCause();
    }
    if (t instanceof ApplicationFailure a) {
      return new ErrorInfo(a.getType(), a.getOriginalMessage());
    }
    if (t instanceof TimeoutFailure timeout) {
      return new ErrorInfo(
          TIMEOUT_TYPE,
          (activityType == null ? "activity" : activityType) + " timed out (" + timeoutName(timeout.getTimeoutType())
              + ")");
    }
    if (t instanceof TemporalFailure tf) {
      return new ErrorInfo(t.getClass().getSimpleName(), tf.getOriginalMessage());
    }
    return new ErrorInfo(t.getClass().getSimpleName(), String.valueOf(t.getMessage()));
  }

  private static String timeoutName(TimeoutType type) {
    return type.name().replace("TIMEOUT_TYPE_", "").toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Key of a step in {@link JobResult#timings()}: the step's name in lower case, e.g. "extract_audio". */
  static String key(Step s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  private static double secondsSince(long startedMillis) {
    return (Workflow.currentTimeMillis() - startedMillis) / 1000.0;
  }
}

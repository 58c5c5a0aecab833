package io.videopipe.pipeline;

import static io.videopipe.pipeline.JobLedger.noComputeSeconds;
import static io.videopipe.pipeline.JobLedger.secondsSince;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import io.videopipe.audio.AudioActivities;
import io.videopipe.audio.ExtractAudioRequest;
import io.videopipe.audio.ExtractedAudio;
import io.videopipe.cost.CostActivities;
import io.videopipe.cost.CostRequest;
import io.videopipe.download.DownloadActivities;
import io.videopipe.download.DownloadRequest;
import io.videopipe.highlight.HighlightActivities;
import io.videopipe.highlight.HighlightRequest;
import io.videopipe.highlight.HighlightSet;
import io.videopipe.notify.WebhookDelivery;
import io.videopipe.route.RouteActivities;
import io.videopipe.route.RouteFacts;
import io.videopipe.route.RoutePolicy;
import io.videopipe.transcribe.TranscriptionOutcome;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * The video job as a saga of durable steps: download, extract audio, route, transcribe (with engine fallback; HYBRID
 * refines), highlight, render clips, QA (with one re-render), cost. Each step's compensation is registered before the
 * step runs, and runs on failure and on cancellation. How each step is called lives in {@link StepPolicies}; what the
 * job reports in {@link JobLedger}; the two steps with rules of their own in {@link TranscriptionStep} and {@link
 * ClipsStep}; the result in {@link JobOutputs}.
 */
public class VideoPipelineWorkflowImpl implements VideoPipelineWorkflow {
  private static final Logger log = Workflow.getLogger(VideoPipelineWorkflowImpl.class);
  /** {@code Workflow.getVersion} change id: the transcript's compensation is registered once (CONTRIBUTING.md). */
  static final String TRANSCRIPT_COMPENSATION_ONCE = "transcript-compensation-once";

  private final PipelineTimeouts timeouts;
  private final JobLedger ledger = new JobLedger();
  private final JobCancellation cancellation = new JobCancellation();
  private final JobOutputs outputs = new JobOutputs();
  private String jobId;
  private JobRequest request;
  private StepPolicies policies;
  private JobCleanup cleanup;

  /** Workers register it with {@code registerWorkflowImplementationFactory}, passing their configured timeouts. */
  public VideoPipelineWorkflowImpl(PipelineTimeouts timeouts) {
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
  }

  @Override
  public JobResult run(JobRequest request) {
    this.request = request;
    this.jobId = Workflow.getInfo().getWorkflowId();
    this.policies = new StepPolicies(timeouts, request.queues());
    this.cleanup = new JobCleanup(jobId, policies, ledger, cancellation);
    ledger.start(request.priority());
    long started = Workflow.currentTimeMillis();
    // Sequential and best-effort: every compensation runs even when an earlier one fails.
    Saga saga = new Saga(new Saga.Options.Builder().setParallelCompensation(false).setContinueWithError(true).build());
    try {
      cancellation.scope(() -> runSteps(saga)).run();
    } catch (TemporalFailure e) {
      ledger.total(secondsSince(started));
      if (cancellation.isCancellation(e)) {
        String reason = cancellation.reason();
        ledger.detail("cancelled: " + reason + "; deleting the job's artifacts");
        cleanup.compensate(saga);
        JobResult cancelled =
            end(JobStatus.CANCELLED, "cancelled: " + reason, new ErrorInfo(ErrorTypes.CANCELLED, reason));
        throw new CanceledFailure(reason, cancelled);
      }
      ErrorInfo error = FailureDescription.describe(e);
      String at = "failed at " + ledger.step().name() + ": ";
      ledger.detail(at + error.message() + "; deleting the job's artifacts");
      cleanup.compensate(saga);
      JobResult failed = end(JobStatus.FAILED, at + error.type() + ": " + error.message(), error);
      throw ApplicationFailure.newNonRetryableFailureWithCause(error.message(), error.type(), e, failed);
    }
    ledger.total(secondsSince(started));
    ledger.done(outputs.cost.totalUsd());
    return outputs.qa.passed()
        ? end(JobStatus.COMPLETED, "done", null)
        : end(JobStatus.NEEDS_REVIEW, "done; a QA check failed, a person should review it", null);
  }

  private void runSteps(Saga saga) {
    String cpu = policies.cpuQueue();
    saga.addCompensation(() -> cleanup.deleteArtifacts(JobPaths.SOURCE));
    outputs.stored =
        ledger.run(Step.DOWNLOAD, "downloading " + request.sourceDisplay(), cpu,
            () -> activity(DownloadActivities.class, Step.DOWNLOAD)
                .download(new DownloadRequest(jobId, request.sourceUri())),
            noComputeSeconds());

    saga.addCompensation(() -> cleanup.deleteArtifacts(JobPaths.AUDIO));
    outputs.audio =
        ledger.run(Step.EXTRACT_AUDIO, "extracting audio from " + outputs.stored.sizeBytes() + " bytes", cpu,
            () -> activity(AudioActivities.class, Step.EXTRACT_AUDIO)
                .extractAudio(new ExtractAudioRequest(jobId, outputs.stored.storedUri(), request.audioTrack())),
            ExtractedAudio::computeSec);
    ExtractedAudio audio = outputs.audio;

    RouteFacts facts =
        ledger.run(Step.ROUTE, "choosing a transcription engine", cpu,
            () -> activity(RouteActivities.class, Step.ROUTE).gatherFacts(), noComputeSeconds());
    outputs.plan =
        RoutePolicy.plan(request.engine(), audio.audioDurationSec(), ledger.priority(), request.budgetUsd(), facts);
    ledger.routed(outputs.plan);
    log.info("job {} route: {}", jobId, outputs.plan.reason());

    saga.addCompensation(() -> cleanup.deleteArtifacts(JobPaths.TRANSCRIPT));
    TranscriptionStep transcription = new TranscriptionStep(jobId, request, outputs, policies, ledger, cancellation);
    TranscriptionOutcome transcribed = transcription.transcribe();
    if (transcription.refines()) {
      // Before this version a hybrid job registered the transcript's compensation a second time here.
      if (Workflow.getVersion(TRANSCRIPT_COMPENSATION_ONCE, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
        saga.addCompensation(() -> cleanup.deleteArtifacts(JobPaths.TRANSCRIPT));
      }
      transcribed = transcription.refine(transcribed);
    }
    TranscriptionOutcome transcript = transcribed;

    saga.addCompensation(() -> cleanup.deleteArtifacts(JobPaths.HIGHLIGHTS));
    outputs.highlights =
        ledger.run(Step.HIGHLIGHT, "picking highlights from " + transcript.words() + " words", cpu,
            () -> activity(HighlightActivities.class, Step.HIGHLIGHT)
                .pickHighlights(
                    new HighlightRequest(jobId, transcript.transcriptUri(), audio.audioUri(), request.highlights())),
            HighlightSet::computeSec);

    ClipsStep clips =
        new ClipsStep(jobId, request, transcript.transcriptUri(), outputs, policies, ledger, cancellation);
    saga.addCompensation(() -> cleanup.deleteArtifacts(JobPaths.CLIPS));
    clips.renderAll();
    saga.addCompensation(() -> cleanup.deleteArtifacts(JobPaths.QA));
    outputs.qa = clips.checkAndRenderFailuresOnceMore();

    saga.addCompensation(() -> cleanup.deleteArtifacts(JobPaths.COST));
    long storedBytes = outputs.storedBytes(request.keepSource());
    outputs.cost =
        ledger.run(Step.COST, "pricing " + ledger.attemptCount() + " step runs", cpu,
            () -> activity(CostActivities.class, Step.COST)
                .computeCost(
                    new CostRequest(
                        jobId, ledger.stepTimings(), audio.audioDurationSec(), storedBytes, facts.options())),
            noComputeSeconds());

    if (!request.keepSource()) {
      cleanup.deleteSourceCopy();
    }
  }

  @Override
  public Progress progress() {
    return ledger.progress();
  }

  @Override
  public List<StepTiming> stepTimings() {
    return ledger.stepTimings();
  }

  @Override
  public JobResult finalResult() {
    return ledger.finalResult();
  }

  @Override
  public WebhookDelivery webhookDelivery() {
    return ledger.webhookDelivery();
  }

  @Override
  public JobReadout readout() {
    return new JobReadout(progress(), stepTimings(), finalResult(), webhookDelivery());
  }

  @Override
  public void cancel(String reason) {
    if (ledger.running() && cancellation.request(reason)) {
      ledger.detail("cancelling: " + cancellation.requested());
    }
  }

  @Override
  public void reprioritize(int newPriority) {
    if (newPriority < JobRequest.MIN_PRIORITY || newPriority > JobRequest.MAX_PRIORITY) {
      // A signal cannot answer; an out-of-range key is dropped rather than failing the workflow task.
      log.warn("ignoring priority {} for job {}: must be 1 (highest) to 5", newPriority, jobId);
      return;
    }
    ledger.reprioritize(newPriority, jobId != null);
  }

  private <T> T activity(Class<T> activities, Step step) {
    return Workflow.newActivityStub(
        activities, policies.options(policies.of(step), ledger.priority(), ledger.detail()));
  }

  /** Records how the job ended, tells the webhook and returns the result. */
  private JobResult end(JobStatus status, String what, ErrorInfo error) {
    ledger.finish(status, what);
    JobResult result = outputs.result(jobId, request, status, error, ledger.timings());
    ledger.ended(result);
    JobWebhook.notify(request, result, ledger);
    return result;
  }
}

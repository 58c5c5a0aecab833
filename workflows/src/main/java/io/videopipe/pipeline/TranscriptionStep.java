package io.videopipe.pipeline;

import static io.videopipe.pipeline.JobLedger.secondsSince;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.videopipe.audio.ExtractedAudio;
import io.videopipe.refine.RefineActivities;
import io.videopipe.refine.RefineRequest;
import io.videopipe.route.Engine;
import io.videopipe.route.RoutePlan;
import io.videopipe.transcribe.TranscribeActivities;
import io.videopipe.transcribe.TranscribeRequest;
import io.videopipe.transcribe.TranscriptionOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * TRANSCRIBE and, for HYBRID, REFINE. The plan's engines are tried in order; the first transcript wins and every
 * engine failure is kept for the summary ("engine: reason"). A transcription whose attempts all ended in heartbeat
 * timeouts lost its worker, which says nothing about the engine: the same engine is scheduled again, up to {@link
 * #MAX_WORKER_LOSSES} times in the job, before it counts as failing.
 */
final class TranscriptionStep {
  private static final Logger log = Workflow.getLogger(TranscriptionStep.class);

  /**
   * How many times a transcription whose attempts all ended in heartbeat timeouts (its workers died: killed, evicted,
   * out of memory) is scheduled again on the same engine before it counts as that engine failing. Each schedule has
   * {@link PipelineTimeouts#transcribeMaxAttempts()} attempts of its own.
   */
  static final int MAX_WORKER_LOSSES = 3;

  private final String jobId;
  private final JobRequest request;
  private final ExtractedAudio audio;
  private final RoutePlan plan;
  private final StepPolicies policies;
  private final JobLedger ledger;
  private final JobCancellation cancellation;
  private final JobOutputs outputs;
  private Engine transcribedBy;
  private int workerLosses;

  TranscriptionStep(
      String jobId, JobRequest request, JobOutputs outputs, StepPolicies policies, JobLedger ledger,
      JobCancellation cancellation) {
    this.jobId = jobId;
    this.request = request;
    this.audio = outputs.audio;
    this.plan = outputs.plan;
    this.policies = policies;
    this.ledger = ledger;
    this.cancellation = cancellation;
    this.outputs = outputs;
  }

  /** Tries the plan's engines in order; fails the job (non-retryably) when none succeeded. */
  TranscriptionOutcome transcribe() {
    ledger.enter(Step.TRANSCRIBE, "transcribing with " + plan.primary().wireName());
    List<Engine> order = new ArrayList<>();
    order.add(plan.primary());
    order.addAll(plan.fallbacks());
    long stepStarted = Workflow.currentTimeMillis();
    ActivityFailure lastFailure = null;
    ErrorInfo lastError = null;
    try {
      for (int i = 0; i < order.size(); i++) {
        Engine candidate = order.get(i);
        try {
          return transcribeWith(candidate);
        } catch (ActivityFailure e) {
          if (cancellation.isCancellation(e)) {
            throw e;
          }
          lastFailure = e;
          lastError = FailureDescription.describe(e);
          outputs.fallbacks.add(candidate.wireName() + ": " + lastError.message());
          log.warn("job {}: {} failed ({}), {} engine(s) left", jobId, candidate.wireName(), lastError.message(),
              order.size() - i - 1);
        }
      }
    } finally {
      ledger.spent(Step.TRANSCRIBE, secondsSince(stepStarted));
    }
    outputs.transcription =
        new TranscriptionSummary(null, List.copyOf(outputs.fallbacks), plan.reason(), 0, 0, null, Map.of());
    throw ApplicationFailure.newNonRetryableFailureWithCause(
        "no transcription engine succeeded: " + String.join("; ", outputs.fallbacks), lastError.type(), lastFailure);
  }

  /** One engine, scheduled again while its workers die under it (within the job's bound). */
  private TranscriptionOutcome transcribeWith(Engine candidate) {
    while (true) {
      try {
        return attempt(candidate);
      } catch (ActivityFailure e) {
        if (cancellation.isCancellation(e) || !FailureDescription.isWorkerLoss(e)
            || workerLosses >= MAX_WORKER_LOSSES) {
          throw e;
        }
        // Workers that died mid-attempt say nothing about the engine: run it again rather than fall back or fail.
        workerLosses++;
        log.warn("job {}: the worker running {} stopped heartbeating ({} of {}); scheduling it again", jobId,
            candidate.wireName(), workerLosses, MAX_WORKER_LOSSES);
      }
    }
  }

  private TranscriptionOutcome attempt(Engine candidate) {
    StepPolicies.Policy policy = policies.transcription(candidate);
    if (!candidate.wireName().equals(ledger.engine())) {
      ledger.engine(candidate.wireName());
    }
    ledger.detail(
        "transcribing with " + candidate.wireName() + " on " + policy.queue()
            + (outputs.fallbacks.isEmpty() ? "" : " after " + String.join("; ", outputs.fallbacks)));
    TranscribeActivities engine =
        Workflow.newActivityStub(
            TranscribeActivities.class, policies.options(policy, ledger.priority(), ledger.detail()));
    long started = Workflow.currentTimeMillis();
    try {
      TranscriptionOutcome outcome =
          engine.transcribe(new TranscribeRequest(jobId, audio.audioUri(), candidate, request.language()));
      ledger.attempt(
          new StepTiming(Step.TRANSCRIBE, policy.queue(), secondsSince(started), outcome.computeSec(),
              candidate.wireName(), true, audio.audioDurationSec()));
      transcribedBy = candidate;
      outputs.transcription =
          summary(outcome, (outcome.engine() == null ? candidate : outcome.engine()).wireName());
      return outcome;
    } catch (ActivityFailure e) {
      ledger.attempt(
          new StepTiming(Step.TRANSCRIBE, policy.queue(), secondsSince(started), 0, candidate.wireName(), false,
              audio.audioDurationSec()));
      throw e;
    }
  }

  /** HYBRID's second pass runs only when the primary engine's transcript was kept. */
  boolean refines() {
    return plan.refiner() != null && transcribedBy == plan.primary();
  }

  /**
   * HYBRID's second pass: the refiner re-transcribes the primary's low-confidence stretches. A refinement that fails
   * after its retries keeps the primary's transcript (the activity rewrites it only once every stretch is done) and is
   * listed in the fallbacks.
   */
  TranscriptionOutcome refine(TranscriptionOutcome primary) {
    Engine refiner = plan.refiner();
    StepPolicies.Policy policy = policies.of(Step.REFINE);
    String primaryName = outputs.transcription.engine();
    ledger.enter(Step.REFINE, "re-transcribing the low-confidence stretches of the " + primaryName
        + " transcript with " + refiner.wireName());
    long started = Workflow.currentTimeMillis();
    RefineActivities refine =
        Workflow.newActivityStub(RefineActivities.class, policies.options(policy, ledger.priority(), ledger.detail()));
    try {
      RefineOutcome refined =
          RefineOutcome.of(
              refine.refineLowConfidence(
                  new RefineRequest(jobId, audio.audioUri(), primary.transcriptUri(), refiner, request.language())));
      ledger.attempt(
          new StepTiming(Step.REFINE, policy.queue(), secondsSince(started), refined.transcript().computeSec(),
              refiner.wireName(), true, refined.refinedSec()));
      if (refined.changedWords()) {
        ledger.engine(primaryName + "+" + refiner.wireName());
      }
      outputs.transcription = summary(refined.transcript(), ledger.engine());
      return refined.transcript();
    } catch (ActivityFailure e) {
      // How much audio the failed attempts sent is not known here: priced as the whole audio, an upper bound.
      ledger.attempt(new StepTiming(Step.REFINE, policy.queue(), secondsSince(started), 0, refiner.wireName(), false));
      if (cancellation.isCancellation(e)) {
        throw e;
      }
      ErrorInfo error = FailureDescription.describe(e);
      outputs.fallbacks.add(
          refiner.wireName() + " refinement: " + error.message() + "; kept the " + primaryName + " transcript");
      log.warn("job {}: {} refinement failed ({}), keeping the {} transcript", jobId, refiner.wireName(),
          error.message(), primaryName);
      outputs.transcription = summary(primary, primaryName);
      return primary;
    } finally {
      ledger.spent(Step.REFINE, secondsSince(started));
    }
  }

  private TranscriptionSummary summary(TranscriptionOutcome outcome, String engineName) {
    String text = outcome.textPreview();
    if (text != null && text.length() > TranscriptionSummary.PREVIEW_CHARS) {
      text = text.substring(0, TranscriptionSummary.PREVIEW_CHARS);
    }
    return new TranscriptionSummary(
        engineName,
        List.copyOf(outputs.fallbacks),
        plan.reason(),
        outcome.words(),
        outcome.meanConfidence(),
        text,
        outcome.artifacts() == null ? Map.of() : new LinkedHashMap<>(outcome.artifacts()));
  }
}

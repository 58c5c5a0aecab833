package io.videopipe.pipeline;

import static io.videopipe.pipeline.JobLedger.secondsSince;

import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.videopipe.clip.ClipActivities;
import io.videopipe.clip.ClipRequest;
import io.videopipe.clip.RenderedClip;
import io.videopipe.highlight.Highlight;
import io.videopipe.qa.QaActivities;
import io.videopipe.qa.QaCheck;
import io.videopipe.qa.QaReport;
import io.videopipe.qa.QaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;

/**
 * RENDER and QA. Clips render in parallel, one RenderClip activity per highlight. A clip that fails a QA check, or
 * could not be rendered at all, is rendered once more (attempt 2) and QA runs again; a clip that still fails is a
 * failed check of the job (NEEDS_REVIEW), never a failed job: the transcript and the other clips stand.
 */
final class ClipsStep {
  private static final Logger log = Workflow.getLogger(ClipsStep.class);

  private final String jobId;
  private final JobRequest request;
  private final String transcriptUri;
  private final JobOutputs outputs;
  private final StepPolicies policies;
  private final JobLedger ledger;
  private final JobCancellation cancellation;
  /** Ranks whose latest render failed after its retries, with the error. */
  private final Map<Integer, String> renderFailures = new TreeMap<>();

  ClipsStep(
      String jobId, JobRequest request, String transcriptUri, JobOutputs outputs, StepPolicies policies,
      JobLedger ledger, JobCancellation cancellation) {
    this.jobId = jobId;
    this.request = request;
    this.transcriptUri = transcriptUri;
    this.outputs = outputs;
    this.policies = policies;
    this.ledger = ledger;
    this.cancellation = cancellation;
  }

  /** Renders a clip of every highlight. */
  void renderAll() {
    render(outputs.highlights.highlights(), 1);
  }

  /** Checks the job and its clips; renders the clips that failed once more and checks again. */
  QaReport checkAndRenderFailuresOnceMore() {
    QaReport qa = check();
    Set<Integer> again = new TreeSet<>(qa.failedClips());
    again.addAll(renderFailures.keySet());
    if (!again.isEmpty()) {
      log.info("job {}: rendering clip(s) {} again after a failed check", jobId, again);
      List<Highlight> retry = new ArrayList<>();
      for (Highlight h : outputs.highlights.highlights()) {
        if (again.contains(h.rank())) {
          retry.add(h);
        }
      }
      render(retry, 2);
      qa = check();
    }
    return withRenderFailures(qa);
  }

  /**
   * Renders the given highlights' clips in parallel, one activity each. A clip whose render fails after its retries is
   * recorded in {@link #renderFailures} rather than failing the job; a cancellation still cancels the job.
   */
  private void render(List<Highlight> toRender, int attempt) {
    if (toRender.isEmpty()) {
      return;
    }
    ledger.enter(
        Step.RENDER,
        (attempt == 1 ? "rendering " : "rendering again ") + toRender.size() + " clip"
            + (toRender.size() == 1 ? "" : "s")
            + (attempt == 1 ? "" : " (ranks " + toRender.stream().map(h -> String.valueOf(h.rank())).toList() + ")"));
    long started = Workflow.currentTimeMillis();
    StepPolicies.Policy policy = policies.of(Step.RENDER);
    ClipActivities renderer =
        Workflow.newActivityStub(ClipActivities.class, policies.options(policy, ledger.priority(), ledger.detail()));
    List<Promise<Void>> done = new ArrayList<>();
    for (Highlight h : toRender) {
      long clipStarted = Workflow.currentTimeMillis();
      Promise<RenderedClip> rendered =
          Async.function(
              renderer::render,
              new ClipRequest(jobId, outputs.stored.storedUri(), transcriptUri, h, request.clips(), attempt));
      done.add(
          rendered.handle(
              (clip, failure) -> {
                boolean ok = failure == null;
                ledger.attempt(
                    new StepTiming(
                        Step.RENDER, policy.queue(), secondsSince(clipStarted), ok ? clip.computeSec() : 0, null, ok));
                if (ok) {
                  outputs.clips.put(h.rank(), clip);
                  renderFailures.remove(h.rank());
                } else {
                  renderFailures.put(h.rank(), FailureDescription.describe(failure).message());
                }
                return null;
              }));
    }
    try {
      Promise.allOf(done).get();
    } finally {
      ledger.spent(Step.RENDER, secondsSince(started));
    }
    cancellation.throwIfRequested();
  }

  private QaReport check() {
    List<Highlight> hs = outputs.highlights.highlights();
    StepPolicies.Policy policy = policies.of(Step.QA);
    return ledger.run(
        Step.QA,
        "checking " + hs.size() + " highlights and " + outputs.clips.size() + " clips",
        policy.queue(),
        () -> Workflow.newActivityStub(QaActivities.class, policies.options(policy, ledger.priority(), ledger.detail()))
            .check(
                new QaRequest(
                    jobId,
                    outputs.audio.audioUri(),
                    transcriptUri,
                    outputs.audio.media() == null
                        ? outputs.audio.audioDurationSec()
                        : outputs.audio.media().expectedAudioSec(),
                    hs,
                    request.highlights(),
                    List.copyOf(outputs.clips.values()),
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
        (rank, error) ->
            checks.add(new QaCheck("clip.rendered", false, "render failed twice: " + error, "a clip", rank)));
    return new QaReport(false, List.copyOf(checks), report.reportUri(), report.computeSec());
  }
}

package io.videopipe.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.withSettings;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.videopipe.audio.AudioActivities;
import io.videopipe.audio.ExtractAudioRequest;
import io.videopipe.audio.ExtractedAudio;
import io.videopipe.audio.MediaInfo;
import io.videopipe.cleanup.CleanupActivities;
import io.videopipe.clip.ClipActivities;
import io.videopipe.clip.ClipOptions;
import io.videopipe.clip.ClipRequest;
import io.videopipe.clip.RenderedClip;
import io.videopipe.cost.CostActivities;
import io.videopipe.cost.CostLine;
import io.videopipe.cost.CostReport;
import io.videopipe.cost.CostRequest;
import io.videopipe.download.DownloadActivities;
import io.videopipe.download.DownloadRequest;
import io.videopipe.download.StoredSource;
import io.videopipe.highlight.Highlight;
import io.videopipe.highlight.HighlightActivities;
import io.videopipe.highlight.HighlightRequest;
import io.videopipe.highlight.HighlightSet;
import io.videopipe.qa.QaActivities;
import io.videopipe.qa.QaCheck;
import io.videopipe.qa.QaReport;
import io.videopipe.qa.QaRequest;
import io.videopipe.refine.RefineActivities;
import io.videopipe.refine.RefineRequest;
import io.videopipe.route.Engine;
import io.videopipe.route.EngineMode;
import io.videopipe.route.EngineOption;
import io.videopipe.route.RouteActivities;
import io.videopipe.route.RouteFacts;
import io.videopipe.transcribe.TranscribeActivities;
import io.videopipe.transcribe.TranscribeRequest;
import io.videopipe.transcribe.TranscriptionOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

class VideoPipelineWorkflowTest {

  private static final String CPU = TaskQueues.DEFAULT_CPU;
  private static final String GPU = TaskQueues.DEFAULT_GPU;
  private static final String SOURCE_URI = "https://example.com/talk.mp4";
  private static final double AUDIO_SEC = 300;

  /** Short heartbeats so a cancellation reaches a blocked test activity within a second. */
  private static final PipelineTimeouts TIMEOUTS = PipelineTimeouts.defaults().withHeartbeat(Duration.ofSeconds(1));

  /** One activity execution as the activity saw it. */
  record Call(String activity, String queue, int attempt, int priority) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<String> deletedPrefixes = new CopyOnWriteArrayList<>();

  private final DownloadActivities download = mock(DownloadActivities.class, withSettings().withoutAnnotations());
  private final AudioActivities audio = mock(AudioActivities.class, withSettings().withoutAnnotations());
  private final RouteActivities route = mock(RouteActivities.class, withSettings().withoutAnnotations());
  private final TranscribeActivities cpuTranscribe =
      mock(TranscribeActivities.class, withSettings().withoutAnnotations());
  private final TranscribeActivities gpuTranscribe =
      mock(TranscribeActivities.class, withSettings().withoutAnnotations());
  private final HighlightActivities highlight = mock(HighlightActivities.class, withSettings().withoutAnnotations());
  private final QaActivities qa = mock(QaActivities.class, withSettings().withoutAnnotations());
  private final CostActivities cost = mock(CostActivities.class, withSettings().withoutAnnotations());
  private final CleanupActivities cleanup = mock(CleanupActivities.class, withSettings().withoutAnnotations());
  private final RefineActivities refine = mock(RefineActivities.class, withSettings().withoutAnnotations());
  private final ClipActivities clip = mock(ClipActivities.class, withSettings().withoutAnnotations());

  private volatile RouteFacts facts = facts(false, false, true);
  private volatile boolean qaPasses = true;
  private volatile int highlightCount = 1;
  /** Ranks each QualityCheck call fails, in call order; calls past the list's end fail none. */
  private final List<Set<Integer>> qaFailingClips = new CopyOnWriteArrayList<>();
  private final AtomicInteger qaCalls = new AtomicInteger();
  /** Ranks whose every render fails non-retryably. */
  private volatile Set<Integer> unrenderable = Set.of();

  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeEach
  void stubActivities() {
    doAnswer(inv -> {
          record();
          DownloadRequest r = inv.getArgument(0);
          return new StoredSource(r.sourceUri(), "file:///store/jobs/" + r.jobId() + "/source/talk.mp4", 5_000_000,
              "ab12");
        })
        .when(download).download(any());
    doAnswer(inv -> {
          record();
          ExtractAudioRequest r = inv.getArgument(0);
          return extracted(r.jobId());
        })
        .when(audio).extractAudio(any());
    doAnswer(inv -> {
          record();
          return facts;
        })
        .when(route).gatherFacts();
    doAnswer(inv -> {
          record();
          return outcome(inv.getArgument(0));
        })
        .when(cpuTranscribe).transcribe(any());
    doAnswer(inv -> {
          record();
          return outcome(inv.getArgument(0));
        })
        .when(gpuTranscribe).transcribe(any());
    doAnswer(inv -> {
          record();
          HighlightRequest r = inv.getArgument(0);
          List<Highlight> hs = new java.util.ArrayList<>();
          for (int rank = 1; rank <= highlightCount; rank++) {
            hs.add(new Highlight(rank, 40.0 * rank - 30, 40.0 * rank, 1.0 / rank, "the best part " + rank,
                Map.of("density", 0.8), "The best part " + rank));
          }
          return new HighlightSet("file:///store/jobs/" + r.jobId() + "/highlights/highlights.json", List.copyOf(hs),
              0.2, "features");
        })
        .when(highlight).pickHighlights(any());
    doAnswer(inv -> {
          record();
          ClipRequest r = inv.getArgument(0);
          int rank = r.highlight().rank();
          if (unrenderable.contains(rank)) {
            throw ApplicationFailure.newNonRetryableFailure("highlight ends past the source", "InvalidRequest");
          }
          String base = String.format("file:///store/jobs/%s/clips/clip-%02d", r.jobId(), rank);
          return new RenderedClip(rank, base + ".mp4", base + ".srt", base + ".vtt", r.highlight().startSec(),
              r.highlight().endSec(), r.highlight().durationSec(), true, -14.1, -1.5, r.attempt(), 2.5, 1_000_000);
        })
        .when(clip).render(any());
    doAnswer(inv -> {
          record();
          QaRequest r = inv.getArgument(0);
          int call = qaCalls.getAndIncrement();
          Set<Integer> failing = call < qaFailingClips.size() ? qaFailingClips.get(call) : Set.of();
          List<QaCheck> checks = new java.util.ArrayList<>();
          checks.add(new QaCheck("highlight.duration", qaPasses, "30 s", "15..60 s"));
          for (RenderedClip c : r.clips()) {
            boolean ok = !failing.contains(c.rank());
            checks.add(new QaCheck("clip.loudness", ok, ok ? "-14.1 LUFS" : "-19 LUFS", "-14 +/- 1 LUFS", c.rank()));
          }
          return new QaReport(checks.stream().allMatch(QaCheck::passed), List.copyOf(checks),
              "file:///store/jobs/" + r.jobId() + "/qa/qa.json", 0.1);
        })
        .when(qa).check(any());
    doAnswer(inv -> {
          record();
          CostRequest r = inv.getArgument(0);
          return new CostReport(0.0123,
              List.of(new CostLine("TRANSCRIBE", "cpu-seconds", 3, 0.000018, "2026-07", "test", 0.0123)),
              "file:///store/jobs/" + r.jobId() + "/cost/cost.json",
              List.of());
        })
        .when(cost).computeCost(any());
    doAnswer(inv -> {
          record();
          List<String> prefixes = inv.getArgument(1);
          deletedPrefixes.addAll(prefixes);
          return 1;
        })
        .when(cleanup).deleteArtifacts(anyString(), anyList());
  }

  @AfterEach
  void stopEnvironment() {
    if (env != null) {
      env.close();
    }
  }

  /** Starts the test server with a CPU worker (workflow + CPU activities) and, when asked, a GPU worker. */
  private void start(boolean gpuWorker) {
    start(gpuWorker, TIMEOUTS);
  }

  private void start(boolean gpuWorker, PipelineTimeouts timeouts) {
    env = TestWorkflowEnvironment.newInstance();
    SearchAttributes.definitions().forEach(env::registerSearchAttribute);
    Worker cpu = env.newWorker(CPU);
    cpu.registerWorkflowImplementationFactory(
        VideoPipelineWorkflow.class, () -> new VideoPipelineWorkflowImpl(timeouts));
    cpu.registerActivitiesImplementations(
        download, audio, route, cpuTranscribe, highlight, clip, qa, cost, cleanup, refine);
    if (gpuWorker) {
      env.newWorker(GPU).registerActivitiesImplementations(gpuTranscribe);
    }
    env.start();
    client = env.getWorkflowClient();
  }

  private VideoPipelineWorkflow startJob(String jobId, JobRequest request) {
    VideoPipelineWorkflow wf =
        client.newWorkflowStub(VideoPipelineWorkflow.class, VideoPipelineOptions.forJob(jobId, request, null, null));
    WorkflowClient.start(wf::run, request);
    return wf;
  }

  private static JobResult result(VideoPipelineWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(JobResult.class);
  }

  @Test
  void happyPathRunsEveryStepInOrderOnTheRightQueue() {
    facts = facts(true, false, true);
    start(true);
    JobRequest request = JobRequest.builder(SOURCE_URI).requestedBy("alice").build();

    VideoPipelineWorkflow wf = startJob("job-happy", request);
    JobResult result = result(wf);

    InOrder order = inOrder(download, audio, route, gpuTranscribe, highlight, clip, qa, cost, cleanup);
    order.verify(download).download(new DownloadRequest("job-happy", SOURCE_URI));
    order.verify(audio)
        .extractAudio(new ExtractAudioRequest("job-happy", "file:///store/jobs/job-happy/source/talk.mp4"));
    order.verify(route).gatherFacts();
    order.verify(gpuTranscribe)
        .transcribe(new TranscribeRequest("job-happy", "file:///store/jobs/job-happy/audio/audio.wav", Engine.PARAKEET,
            "en"));
    order.verify(highlight).pickHighlights(any());
    order.verify(clip).render(any());
    order.verify(qa).check(any());
    order.verify(cost).computeCost(any());
    order.verify(cleanup).deleteArtifacts("job-happy", List.of(JobPaths.SOURCE));
    verify(cpuTranscribe, never()).transcribe(any());

    assertThat(calls)
        .extracting(Call::activity, Call::queue)
        .containsExactly(
            tuple("Download", CPU),
            tuple("ExtractAudio", CPU),
            tuple("GatherRouteFacts", CPU),
            tuple("Transcribe", GPU),
            tuple("PickHighlights", CPU),
            tuple("RenderClip", CPU),
            tuple("QualityCheck", CPU),
            tuple("ComputeCost", CPU),
            tuple("DeleteArtifacts", CPU));
    assertThat(calls).allMatch(c -> c.attempt() == 1 && c.priority() == 3);
    ArgumentCaptor<ClipRequest> clipRequest = ArgumentCaptor.forClass(ClipRequest.class);
    verify(clip).render(clipRequest.capture());
    assertThat(clipRequest.getValue().sourceUri()).isEqualTo("file:///store/jobs/job-happy/source/talk.mp4");
    assertThat(clipRequest.getValue().transcriptUri()).isEqualTo("file:///store/jobs/job-happy/transcript/transcript.json");
    assertThat(clipRequest.getValue().attempt()).isEqualTo(1);
    assertThat(clipRequest.getValue().options()).isEqualTo(ClipOptions.defaults());

    assertThat(result.jobId()).isEqualTo("job-happy");
    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(result.error()).isNull();
    assertThat(result.source().uri()).isEqualTo(SOURCE_URI);
    assertThat(result.source().storedUri()).isEqualTo("file:///store/jobs/job-happy/source/talk.mp4");
    assertThat(result.source().sizeBytes()).isEqualTo(5_000_000);
    assertThat(result.source().media().durationSec()).isEqualTo(AUDIO_SEC);
    assertThat(result.transcription().engine()).isEqualTo("parakeet");
    assertThat(result.transcription().fallbacks()).isEmpty();
    assertThat(result.transcription().plan()).startsWith("auto: parakeet");
    assertThat(result.transcription().words()).isEqualTo(42);
    assertThat(result.transcription().meanConfidence()).isEqualTo(0.9);
    assertThat(result.transcription().text()).isEqualTo("hello from parakeet");
    assertThat(result.transcription().artifacts()).containsKeys("json", "srt", "vtt", "txt");
    assertThat(result.highlights()).hasSize(1);
    assertThat(result.clips()).extracting(RenderedClip::clipUri)
        .containsExactly("file:///store/jobs/job-happy/clips/clip-01.mp4");
    assertThat(result.qa().passed()).isTrue();
    assertThat(result.cost().totalUsd()).isEqualTo(0.0123);
    assertThat(result.artifacts())
        .containsOnlyKeys("audio.wav", "transcript.json", "transcript.srt", "transcript.vtt", "transcript.txt",
            "highlights.json", "clip-01.mp4", "clip-01.srt", "clip-01.vtt", "qa.json", "cost.json")
        .containsEntry("clip-01.vtt", "file:///store/jobs/job-happy/clips/clip-01.vtt")
        .containsEntry("cost.json", "file:///store/jobs/job-happy/cost/cost.json");
    assertThat(result.timings())
        .containsOnlyKeys(
            "download", "extract_audio", "route", "transcribe", "highlight", "render", "qa", "cost", "total");

    ArgumentCaptor<CostRequest> costRequest = ArgumentCaptor.forClass(CostRequest.class);
    verify(cost).computeCost(costRequest.capture());
    assertThat(costRequest.getValue().audioSec()).isEqualTo(AUDIO_SEC);
    assertThat(costRequest.getValue().storedBytes()).isEqualTo((long) (AUDIO_SEC * 32_000) + 1_000_000);
    assertThat(costRequest.getValue().engines()).isEqualTo(facts.options());
    assertThat(costRequest.getValue().steps())
        .extracting(StepTiming::step, StepTiming::queue, StepTiming::engine, StepTiming::succeeded)
        .containsExactly(
            tuple(Step.DOWNLOAD, CPU, null, true),
            tuple(Step.EXTRACT_AUDIO, CPU, null, true),
            tuple(Step.ROUTE, CPU, null, true),
            tuple(Step.TRANSCRIBE, GPU, "parakeet", true),
            tuple(Step.HIGHLIGHT, CPU, null, true),
            tuple(Step.RENDER, CPU, null, true),
            tuple(Step.QA, CPU, null, true));
    assertThat(costRequest.getValue().steps().get(1).computeSec()).isEqualTo(0.5);
    assertThat(costRequest.getValue().steps().get(5).computeSec()).isEqualTo(2.5);

    WorkflowExecutionDescription description = WorkflowStub.fromTyped(wf).describe();
    assertThat(description.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    io.temporal.common.SearchAttributes attributes = description.getTypedSearchAttributes();
    assertThat(attributes.get(SearchAttributes.STATUS)).isEqualTo("COMPLETED");
    assertThat(attributes.get(SearchAttributes.STEP)).isEqualTo("DONE");
    assertThat(attributes.get(SearchAttributes.ENGINE)).isEqualTo("parakeet");
    assertThat(attributes.get(SearchAttributes.PRIORITY)).isEqualTo(3L);
    assertThat(attributes.get(SearchAttributes.COST_USD)).isEqualTo(0.0123);
    assertThat(description.getMemo(VideoPipelineOptions.MEMO_SOURCE, String.class)).isEqualTo(SOURCE_URI);
    assertThat(description.getMemo(VideoPipelineOptions.MEMO_REQUESTED_BY, String.class)).isEqualTo("alice");

    assertThat(wf.progress())
        .isEqualTo(new Progress(JobStatus.COMPLETED, Step.DONE, 100, "parakeet", 3, "done"));
    List<StepTiming> timed = wf.stepTimings();
    assertThat(timed.subList(0, timed.size() - 1)).isEqualTo(costRequest.getValue().steps());
    assertThat(timed.get(timed.size() - 1).step()).isEqualTo(Step.COST);
  }

  @Test
  void clipsRenderInParallelAndAClipFailingQaIsRenderedOnceMore() throws Exception {
    highlightCount = 3;
    qaFailingClips.add(Set.of(2));
    start(false);

    VideoPipelineWorkflow wf = startJob("job-rerender", JobRequest.of(SOURCE_URI));
    JobResult result = result(wf);

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    ArgumentCaptor<ClipRequest> renders = ArgumentCaptor.forClass(ClipRequest.class);
    verify(clip, org.mockito.Mockito.times(4)).render(renders.capture());
    assertThat(renders.getAllValues())
        .extracting(r -> r.highlight().rank(), ClipRequest::attempt)
        .containsExactlyInAnyOrder(tuple(1, 1), tuple(2, 1), tuple(3, 1), tuple(2, 2));
    assertThat(calls).extracting(Call::activity)
        .containsSubsequence("PickHighlights", "RenderClip", "RenderClip", "RenderClip", "QualityCheck",
            "RenderClip", "QualityCheck", "ComputeCost");
    assertThat(result.clips()).extracting(RenderedClip::rank, RenderedClip::attempt)
        .containsExactly(tuple(1, 1), tuple(2, 2), tuple(3, 1));
    assertThat(result.qa().checks()).filteredOn(c -> c.clip() != null).allMatch(QaCheck::passed).hasSize(3);
    ArgumentCaptor<CostRequest> costRequest = ArgumentCaptor.forClass(CostRequest.class);
    verify(cost).computeCost(costRequest.capture());
    assertThat(costRequest.getValue().steps()).filteredOn(t -> t.step() == Step.RENDER).hasSize(4);
    assertThat(costRequest.getValue().steps()).filteredOn(t -> t.step() == Step.QA).hasSize(2);

    WorkflowReplayer.replayWorkflowExecution(client.fetchHistory("job-rerender"), VideoPipelineWorkflowImpl.class);
  }

  @Test
  void aClipFailingQaTwiceMakesTheJobNeedReviewNeverFail() {
    highlightCount = 2;
    qaFailingClips.add(Set.of(1));
    qaFailingClips.add(Set.of(1));
    start(false);

    VideoPipelineWorkflow wf = startJob("job-review", JobRequest.of(SOURCE_URI));
    JobResult result = result(wf);

    assertThat(result.status()).isEqualTo(JobStatus.NEEDS_REVIEW);
    assertThat(result.error()).isNull();
    assertThat(result.qa().passed()).isFalse();
    assertThat(result.qa().failedClips()).containsExactly(1);
    assertThat(result.clips()).hasSize(2);
    verify(clip, org.mockito.Mockito.times(3)).render(any());
    assertThat(deletedPrefixes).containsExactly(JobPaths.SOURCE);
    assertThat(WorkflowStub.fromTyped(wf).describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
  }

  @Test
  void aClipThatCannotBeRenderedIsTriedOnceMoreThenReportedForReview() {
    highlightCount = 2;
    unrenderable = Set.of(2);
    start(false);

    VideoPipelineWorkflow wf = startJob("job-unrenderable", JobRequest.of(SOURCE_URI));
    JobResult result = result(wf);

    assertThat(result.status()).isEqualTo(JobStatus.NEEDS_REVIEW);
    assertThat(result.clips()).extracting(RenderedClip::rank).containsExactly(1);
    assertThat(result.qa().checks())
        .filteredOn(c -> c.name().equals("clip.rendered"))
        .extracting(QaCheck::clip, QaCheck::passed, QaCheck::measured)
        .containsExactly(tuple(2, false, "render failed twice: highlight ends past the source"));
    // one attempt each time: InvalidRequest is on the workflow's do-not-retry list
    assertThat(calls).filteredOn(c -> c.activity().equals("RenderClip")).hasSize(3);
    assertThat(result.artifacts()).containsKey("clip-01.mp4").doesNotContainKey("clip-02.mp4");
  }

  @Test
  void aFailureAfterRenderingDeletesTheClipsToo() {
    doAnswer(inv -> {
          record();
          throw ApplicationFailure.newNonRetryableFailure("ledger broken", ErrorTypes.INVALID_REQUEST);
        })
        .when(cost).computeCost(any());
    start(false);

    VideoPipelineWorkflow wf = startJob("job-cost-fails", JobRequest.of(SOURCE_URI));
    catchFailure(wf);

    assertThat(deletedPrefixes)
        .containsExactly(
            JobPaths.COST, JobPaths.QA, JobPaths.CLIPS, JobPaths.HIGHLIGHTS, JobPaths.TRANSCRIPT, JobPaths.AUDIO,
            JobPaths.SOURCE);
  }

  @Test
  void historyReplaysDeterministically() throws Exception {
    start(false);
    VideoPipelineWorkflow wf = startJob("job-replay", JobRequest.of(SOURCE_URI));
    result(wf);

    WorkflowReplayer.replayWorkflowExecution(client.fetchHistory("job-replay"), VideoPipelineWorkflowImpl.class);
  }

  @Test
  void keepSourceSkipsSourceCleanupAndFailedQaNeedsReview() {
    qaPasses = false;
    start(false);
    JobRequest request = JobRequest.builder(SOURCE_URI).keepSource(true).build();

    VideoPipelineWorkflow wf = startJob("job-keep", request);
    JobResult result = result(wf);

    assertThat(result.status()).isEqualTo(JobStatus.NEEDS_REVIEW);
    assertThat(result.transcription().engine()).isEqualTo("local");
    verify(cleanup, never()).deleteArtifacts(anyString(), anyList());
    ArgumentCaptor<CostRequest> costRequest = ArgumentCaptor.forClass(CostRequest.class);
    verify(cost).computeCost(costRequest.capture());
    assertThat(costRequest.getValue().storedBytes()).isEqualTo((long) (AUDIO_SEC * 32_000) + 5_000_000 + 1_000_000);
    assertThat(WorkflowStub.fromTyped(wf).describe().getTypedSearchAttributes().get(SearchAttributes.STATUS))
        .isEqualTo("NEEDS_REVIEW");
  }

  @Test
  void retryableFailureIsRetriedThenSucceeds() {
    AtomicInteger extractCalls = new AtomicInteger();
    doAnswer(inv -> {
          record();
          if (extractCalls.incrementAndGet() == 1) {
            throw ApplicationFailure.newFailure("storage hiccup", ErrorTypes.TRANSIENT);
          }
          return extracted("job-retry");
        })
        .when(audio).extractAudio(any());
    start(false);

    JobResult result = result(startJob("job-retry", JobRequest.of(SOURCE_URI)));

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(calls).filteredOn(c -> c.activity().equals("ExtractAudio")).extracting(Call::attempt)
        .containsExactly(1, 2);
  }

  @Test
  void nonRetryableFailureFailsFastAndCompensates() {
    doAnswer(inv -> {
          record();
          // Retryable by itself: only the workflow's doNotRetry list makes it final.
          throw ApplicationFailure.newFailure("Invalid data found when processing input", ErrorTypes.UNSUPPORTED_MEDIA);
        })
        .when(audio).extractAudio(any());
    start(false);
    VideoPipelineWorkflow wf = startJob("job-bad-media", JobRequest.of(SOURCE_URI));

    WorkflowFailedException failed = catchFailure(wf);

    assertThat(failed.getCause()).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(ErrorTypes.UNSUPPORTED_MEDIA);
    assertThat(failure.getOriginalMessage()).isEqualTo("Invalid data found when processing input");
    assertThat(failure.isNonRetryable()).isTrue();
    JobResult partial = failure.getDetails().get(JobResult.class);
    assertThat(partial.status()).isEqualTo(JobStatus.FAILED);
    assertThat(partial.error()).isEqualTo(new ErrorInfo(ErrorTypes.UNSUPPORTED_MEDIA,
        "Invalid data found when processing input"));
    assertThat(partial.source().storedUri()).isEqualTo("file:///store/jobs/job-bad-media/source/talk.mp4");
    assertThat(partial.transcription()).isNull();
    assertThat(partial.timings()).containsKeys("download", "extract_audio", "total");

    assertThat(calls).filteredOn(c -> c.activity().equals("ExtractAudio")).hasSize(1);
    assertThat(deletedPrefixes).containsExactly(JobPaths.AUDIO, JobPaths.SOURCE);
    verify(route, never()).gatherFacts();
    WorkflowExecutionDescription description = WorkflowStub.fromTyped(wf).describe();
    assertThat(description.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED);
    assertThat(description.getTypedSearchAttributes().get(SearchAttributes.STATUS)).isEqualTo("FAILED");
    assertThat(description.getTypedSearchAttributes().get(SearchAttributes.STEP)).isEqualTo("EXTRACT_AUDIO");
    assertThat(wf.progress().status()).isEqualTo(JobStatus.FAILED);
  }

  @Test
  void cancelSignalStopsTheRunningStepAndCompensates() throws Exception {
    AtomicBoolean activityCancelled = new AtomicBoolean();
    VideoPipelineWorkflow wf = startJobBlockedInTranscription("job-cancel", activityCancelled);

    wf.cancel("user changed their mind");
    WorkflowFailedException failed = catchFailure(wf);

    assertThat(activityCancelled).isTrue();
    // Reverse order of registration, starting with the step that was running.
    assertThat(deletedPrefixes).containsExactly(JobPaths.TRANSCRIPT, JobPaths.AUDIO, JobPaths.SOURCE);
    verify(highlight, never()).pickHighlights(any());
    assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
    CanceledFailure cancelled = (CanceledFailure) failed.getCause();
    assertThat(cancelled.getOriginalMessage()).isEqualTo("user changed their mind");
    JobResult partial = cancelled.getDetails().get(JobResult.class);
    assertThat(partial.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(partial.error()).isEqualTo(new ErrorInfo("Cancelled", "user changed their mind"));
    assertThat(partial.source().media()).isNotNull();
    assertThat(partial.transcription().engine()).isNull();
    assertThat(partial.transcription().plan()).startsWith("auto: local");

    WorkflowExecutionDescription description = WorkflowStub.fromTyped(wf).describe();
    // A workflow cannot close itself as CANCELED; only a Temporal cancel request does (see the native test).
    assertThat(description.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED);
    assertThat(description.getTypedSearchAttributes().get(SearchAttributes.STATUS)).isEqualTo("CANCELLED");
    assertThat(wf.progress().status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(wf.progress().detail()).isEqualTo("cancelled: user changed their mind");
  }

  @Test
  void cancelDuringAShortStepLetsItFinishThenRunsEveryCompensation() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    doAnswer(inv -> {
          record();
          // QA has no heartbeat timeout: it cannot hear the cancellation and runs to its end.
          entered.countDown();
          assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
          return new QaReport(true, List.of(), "file:///store/jobs/job-cancel-qa/qa/qa.json", 0.1);
        })
        .when(qa).check(any());
    start(false);
    VideoPipelineWorkflow wf = startJob("job-cancel-qa", JobRequest.of(SOURCE_URI));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    wf.cancel("too late?");
    awaitTrue(() -> wf.progress().detail().startsWith("cancelling"));
    release.countDown();
    WorkflowFailedException failed = catchFailure(wf);

    // COST's compensation is registered before its step is attempted, so it runs too (deleting is idempotent).
    assertThat(deletedPrefixes)
        .containsExactly(JobPaths.COST, JobPaths.QA, JobPaths.CLIPS, JobPaths.HIGHLIGHTS, JobPaths.TRANSCRIPT,
            JobPaths.AUDIO, JobPaths.SOURCE);
    verify(cost, never()).computeCost(any());
    assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
    JobResult partial = ((CanceledFailure) failed.getCause()).getDetails().get(JobResult.class);
    assertThat(partial.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(partial.transcription().engine()).isEqualTo("local");
    assertThat(partial.highlights()).hasSize(1);
  }

  @Test
  void temporalCancellationRunsEveryCompensationAndEndsCanceled() throws Exception {
    AtomicBoolean activityCancelled = new AtomicBoolean();
    VideoPipelineWorkflow wf = startJobBlockedInTranscription("job-native-cancel", activityCancelled);

    WorkflowStub.fromTyped(wf).cancel("operator stop");
    WorkflowFailedException failed = catchFailure(wf);

    assertThat(activityCancelled).isTrue();
    assertThat(deletedPrefixes).containsExactly(JobPaths.TRANSCRIPT, JobPaths.AUDIO, JobPaths.SOURCE);
    verify(highlight, never()).pickHighlights(any());
    assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
    WorkflowExecutionDescription description = WorkflowStub.fromTyped(wf).describe();
    assertThat(description.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
    assertThat(description.getTypedSearchAttributes().get(SearchAttributes.STATUS)).isEqualTo("CANCELLED");
    assertThat(wf.progress().detail()).isEqualTo("cancelled: operator stop");
    assertThat(wf.progress().status()).isEqualTo(JobStatus.CANCELLED);
    // The SDK closes a cancel-requested workflow without details: the partial result stays in the workflow only.
    assertThat(((CanceledFailure) failed.getCause()).getDetails().getSize()).isZero();
  }

  @Test
  void reprioritizeAppliesToStepsScheduledAfterIt() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    doAnswer(inv -> {
          record();
          blockUntilReleased(entered, release);
          return extracted("job-prio");
        })
        .when(audio).extractAudio(any());
    start(false);
    VideoPipelineWorkflow wf = startJob("job-prio", JobRequest.of(SOURCE_URI).withPriority(4));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    wf.reprioritize(1);
    wf.reprioritize(9); // out of range: ignored
    awaitTrue(() -> wf.progress().priority() == 1);
    release.countDown();
    JobResult result = result(wf);

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(calls)
        .extracting(Call::activity, Call::priority)
        .containsExactly(
            tuple("Download", 4),
            tuple("ExtractAudio", 4),
            tuple("GatherRouteFacts", 1),
            tuple("Transcribe", 1),
            tuple("PickHighlights", 1),
            tuple("RenderClip", 1),
            tuple("QualityCheck", 1),
            tuple("ComputeCost", 1),
            tuple("DeleteArtifacts", 1));
    assertThat(WorkflowStub.fromTyped(wf).describe().getTypedSearchAttributes().get(SearchAttributes.PRIORITY))
        .isEqualTo(1L);
  }

  @Test
  void progressQueryAnswersMidRun() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    doAnswer(inv -> {
          record();
          blockUntilReleased(entered, release);
          return outcome(inv.getArgument(0));
        })
        .when(cpuTranscribe).transcribe(any());
    start(false);
    VideoPipelineWorkflow wf = startJob("job-progress", JobRequest.of(SOURCE_URI).withPriority(2));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    Progress progress = wf.progress();
    List<StepTiming> soFar = wf.stepTimings();
    WorkflowExecutionDescription running = WorkflowStub.fromTyped(wf).describe();
    release.countDown();

    assertThat(soFar).extracting(StepTiming::step).containsExactly(Step.DOWNLOAD, Step.EXTRACT_AUDIO, Step.ROUTE);
    assertThat(progress.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(progress.step()).isEqualTo(Step.TRANSCRIBE);
    assertThat(progress.percent()).isEqualTo(Step.TRANSCRIBE.startPercent);
    assertThat(progress.engine()).isEqualTo("local");
    assertThat(progress.priority()).isEqualTo(2);
    assertThat(progress.detail()).isEqualTo("transcribing with local on video-cpu");
    assertThat(running.getTypedSearchAttributes().get(SearchAttributes.STEP)).isEqualTo("TRANSCRIBE");
    assertThat(running.getTypedSearchAttributes().get(SearchAttributes.STATUS)).isEqualTo("RUNNING");
    assertThat(running.getTypedSearchAttributes().get(SearchAttributes.ENGINE)).isEqualTo("local");
    assertThat(result(wf).status()).isEqualTo(JobStatus.COMPLETED);
  }

  /** One attempt per schedule, so every worker loss reaches the workflow at once; 1 s heartbeats. */
  private static PipelineTimeouts oneAttemptPerSchedule() {
    PipelineTimeouts t = TIMEOUTS;
    return new PipelineTimeouts(t.download(), t.extractAudio(), t.route(), t.transcribe(), t.highlights(), t.render(),
        t.qa(), t.cost(), t.cleanup(), t.heartbeat(), t.gpuScheduleToStart(), t.initialRetryInterval(),
        t.maxRetryInterval(), t.maxAttempts(), 1);
  }

  /** Transcribe stalls without heartbeats (as a killed worker does) for the first {@code losses} calls. */
  private AtomicInteger workerDiesDuringTranscription(int losses) {
    AtomicInteger transcribeCalls = new AtomicInteger();
    doAnswer(inv -> {
          record();
          if (transcribeCalls.incrementAndGet() <= losses) {
            Thread.sleep(2_500);
          }
          return outcome(inv.getArgument(0));
        })
        .when(cpuTranscribe).transcribe(any());
    return transcribeCalls;
  }

  @Test
  void workersDyingMidTranscriptionRunTheSameEngineAgainInsteadOfLosingTheJob() {
    AtomicInteger transcribeCalls = workerDiesDuringTranscription(VideoPipelineWorkflowImpl.MAX_WORKER_LOSSES);
    start(false, oneAttemptPerSchedule());

    JobResult result = result(startJob("job-worker-died", JobRequest.of(SOURCE_URI).withEngine(EngineMode.LOCAL)));

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(result.transcription().engine()).isEqualTo("local");
    assertThat(result.transcription().fallbacks()).isEmpty();
    assertThat(transcribeCalls).hasValue(VideoPipelineWorkflowImpl.MAX_WORKER_LOSSES + 1);
    ArgumentCaptor<CostRequest> costRequest = ArgumentCaptor.forClass(CostRequest.class);
    verify(cost).computeCost(costRequest.capture());
    // the lost attempts used the machine all the same: they are priced
    assertThat(costRequest.getValue().steps()).filteredOn(t -> t.step() == Step.TRANSCRIBE)
        .extracting(StepTiming::succeeded)
        .containsExactly(false, false, false, true);
  }

  @Test
  void workerLossesBeyondTheBoundCountAsTheEngineFailing() {
    workerDiesDuringTranscription(VideoPipelineWorkflowImpl.MAX_WORKER_LOSSES + 1);
    start(false, oneAttemptPerSchedule());

    WorkflowFailedException failed =
        catchFailure(startJob("job-worker-keeps-dying", JobRequest.of(SOURCE_URI).withEngine(EngineMode.LOCAL)));

    JobResult partial = ((ApplicationFailure) failed.getCause()).getDetails().get(JobResult.class);
    assertThat(partial.error().message()).isEqualTo("no transcription engine succeeded: local: Transcribe timed out (heartbeat)");
  }

  @Test
  void gpuQueueWithoutWorkerFallsBackToLocalAfterScheduleToStartTimeout() {
    // The test server does not skip time while an activity is outstanding, so the timeout is shortened.
    start(false, TIMEOUTS.withGpuScheduleToStart(Duration.ofSeconds(1)));
    JobRequest request = JobRequest.of(SOURCE_URI).withEngine(EngineMode.PARAKEET);

    JobResult result = result(startJob("job-no-gpu", request));

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(result.transcription().engine()).isEqualTo("local");
    assertThat(result.transcription().fallbacks())
        .containsExactly("parakeet: Transcribe timed out (schedule-to-start)");
    assertThat(result.transcription().plan()).startsWith("requested: parakeet (not available now: no GPU worker");
    verify(gpuTranscribe, never()).transcribe(any());
    verify(cpuTranscribe).transcribe(new TranscribeRequest("job-no-gpu",
        "file:///store/jobs/job-no-gpu/audio/audio.wav", Engine.LOCAL, "en"));
    assertThat(calls).filteredOn(c -> c.activity().equals("Transcribe")).extracting(Call::queue).containsExactly(CPU);
    ArgumentCaptor<CostRequest> costRequest = ArgumentCaptor.forClass(CostRequest.class);
    verify(cost).computeCost(costRequest.capture());
    assertThat(costRequest.getValue().steps())
        .filteredOn(t -> t.step() == Step.TRANSCRIBE)
        .extracting(StepTiming::queue, StepTiming::engine, StepTiming::succeeded)
        .containsExactly(
            tuple(GPU, "parakeet", false),
            tuple(CPU, "local", true));
    // The GPU attempt waited out its schedule-to-start timeout on the workflow clock.
    assertThat(costRequest.getValue().steps().get(3).wallSec()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void gpuEngineFailingNonRetryablyFallsBackToLocal() {
    facts = facts(true, false, true);
    doAnswer(inv -> {
          record();
          throw ApplicationFailure.newFailure("CUDA libraries not found", ErrorTypes.ENGINE_UNAVAILABLE);
        })
        .when(gpuTranscribe).transcribe(any());
    start(true);

    VideoPipelineWorkflow wf = startJob("job-gpu-fails", JobRequest.of(SOURCE_URI));
    JobResult result = result(wf);

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(result.transcription().engine()).isEqualTo("local");
    assertThat(result.transcription().fallbacks()).containsExactly("parakeet: CUDA libraries not found");
    assertThat(calls).filteredOn(c -> c.activity().equals("Transcribe"))
        .extracting(Call::queue, Call::attempt)
        .containsExactly(tuple(GPU, 1), tuple(CPU, 1));
    assertThat(WorkflowStub.fromTyped(wf).describe().getTypedSearchAttributes().get(SearchAttributes.ENGINE))
        .isEqualTo("local");
  }

  @Test
  void deepgramRejectingTheAudioFallsBackToLocalAndPricesBothAttempts() {
    facts = facts(false, true, true);
    doAnswer(inv -> {
          record();
          TranscribeRequest r = inv.getArgument(0);
          if (r.engine() == Engine.DEEPGRAM) {
            throw ApplicationFailure.newNonRetryableFailure(
                "Deepgram rejected the audio (HTTP 400: corrupt or unsupported data)", "DeepgramRejected");
          }
          return outcome(r);
        })
        .when(cpuTranscribe).transcribe(any());
    start(false);

    VideoPipelineWorkflow wf = startJob("job-dg-rejects", JobRequest.of(SOURCE_URI).withEngine(EngineMode.DEEPGRAM));
    JobResult result = result(wf);

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(result.transcription().engine()).isEqualTo("local");
    assertThat(result.transcription().fallbacks())
        .containsExactly("deepgram: Deepgram rejected the audio (HTTP 400: corrupt or unsupported data)");
    assertThat(result.transcription().plan()).isEqualTo("requested: deepgram; est. $0.0215, 30 s; then local");
    // Non-retryable: one Deepgram attempt, then the next engine.
    assertThat(calls).filteredOn(c -> c.activity().equals("Transcribe"))
        .extracting(Call::queue, Call::attempt)
        .containsExactly(tuple(CPU, 1), tuple(CPU, 1));
    ArgumentCaptor<CostRequest> costRequest = ArgumentCaptor.forClass(CostRequest.class);
    verify(cost).computeCost(costRequest.capture());
    assertThat(costRequest.getValue().steps())
        .filteredOn(t -> t.step() == Step.TRANSCRIBE)
        .extracting(StepTiming::queue, StepTiming::engine, StepTiming::succeeded)
        .containsExactly(tuple(CPU, "deepgram", false), tuple(CPU, "local", true));
    WorkflowExecutionDescription description = WorkflowStub.fromTyped(wf).describe();
    assertThat(description.getTypedSearchAttributes().get(SearchAttributes.ENGINE)).isEqualTo("local");
    assertThat(description.getTypedSearchAttributes().get(SearchAttributes.ROUTE))
        .isEqualTo(result.transcription().plan());
    assertThat(description.getMemo(VideoPipelineOptions.MEMO_ROUTE, String.class))
        .isEqualTo(result.transcription().plan());
  }

  @Test
  void deepgramOutageIsRetriedWithItsDelayThenFallsBack() {
    facts = facts(false, true, true);
    doAnswer(inv -> {
          record();
          TranscribeRequest r = inv.getArgument(0);
          if (r.engine() == Engine.DEEPGRAM) {
            throw ApplicationFailure.newFailureWithCauseAndDelay(
                "Deepgram unavailable after 4 request(s): HTTP 503: try later", "DeepgramUnavailable", null,
                Duration.ofMillis(200));
          }
          return outcome(r);
        })
        .when(cpuTranscribe).transcribe(any());
    start(false);

    JobResult result = result(startJob("job-dg-down", JobRequest.of(SOURCE_URI)));

    assertThat(result.transcription().plan()).startsWith("auto: deepgram (no GPU worker)");
    assertThat(result.transcription().engine()).isEqualTo("local");
    assertThat(result.transcription().fallbacks())
        .containsExactly("deepgram: Deepgram unavailable after 4 request(s): HTTP 503: try later");
    assertThat(calls).filteredOn(c -> c.activity().equals("Transcribe"))
        .extracting(Call::attempt)
        .containsExactly(1, 2, 3, 1);
    ArgumentCaptor<CostRequest> costRequest = ArgumentCaptor.forClass(CostRequest.class);
    verify(cost).computeCost(costRequest.capture());
    assertThat(costRequest.getValue().steps())
        .filteredOn(t -> t.step() == Step.TRANSCRIBE)
        .extracting(StepTiming::engine, StepTiming::succeeded)
        .containsExactly(tuple("deepgram", false), tuple("local", true));
  }

  @Test
  void budgetKeepsAnEngineOverItOutOfThePlan() {
    facts = facts(false, true, true);
    start(false);

    JobResult result = result(startJob("job-budget", JobRequest.of(SOURCE_URI).withBudgetUsd(0.01)));

    assertThat(result.transcription().engine()).isEqualTo("local");
    assertThat(result.transcription().fallbacks()).isEmpty();
    assertThat(result.transcription().plan()).contains("over the $0.0100 budget: deepgram $0.0215");
    verify(cpuTranscribe).transcribe(new TranscribeRequest("job-budget",
        "file:///store/jobs/job-budget/audio/audio.wav", Engine.LOCAL, "en"));
  }

  @Test
  void hybridTranscribesOnTheGpuThenRefinesTheLowConfidenceStretchesOnTheCpu() {
    facts = facts(true, true, true);
    doAnswer(inv -> {
          record();
          RefineRequest r = inv.getArgument(0);
          String dir = "file:///store/jobs/" + r.jobId() + "/transcript/transcript.";
          return new TranscriptionOutcome(
              Engine.DEEPGRAM, dir + "json", Map.of("json", dir + "json", "txt", dir + "txt"), 44, AUDIO_SEC, 0.95,
              "hello from parakeet and deepgram", 1.5,
              Map.of(RefineActivities.REFINED_WINDOWS, "2", RefineActivities.REFINED_SEC, "4.500"));
        })
        .when(refine).refineLowConfidence(any());
    start(true);

    VideoPipelineWorkflow wf = startJob("job-hybrid", JobRequest.of(SOURCE_URI).withEngine(EngineMode.HYBRID));
    JobResult result = result(wf);

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(result.transcription().engine()).isEqualTo("parakeet+deepgram");
    assertThat(result.transcription().fallbacks()).isEmpty();
    assertThat(result.transcription().words()).isEqualTo(44);
    assertThat(result.transcription().text()).isEqualTo("hello from parakeet and deepgram");
    assertThat(result.transcription().plan())
        .startsWith("requested hybrid: parakeet, then its low-confidence stretches re-transcribed by deepgram");
    assertThat(calls).extracting(Call::activity, Call::queue)
        .containsSubsequence(tuple("Transcribe", GPU), tuple("RefineLowConfidence", CPU), tuple("PickHighlights", CPU));
    assertThat(calls).filteredOn(c -> c.activity().equals("Transcribe")).hasSize(1);
    verify(gpuTranscribe).transcribe(new TranscribeRequest("job-hybrid",
        "file:///store/jobs/job-hybrid/audio/audio.wav", Engine.PARAKEET, "en"));
    verify(refine).refineLowConfidence(new RefineRequest("job-hybrid",
        "file:///store/jobs/job-hybrid/audio/audio.wav", "file:///store/jobs/job-hybrid/transcript/transcript.json",
        Engine.DEEPGRAM, "en"));
    ArgumentCaptor<CostRequest> costRequest = ArgumentCaptor.forClass(CostRequest.class);
    verify(cost).computeCost(costRequest.capture());
    assertThat(costRequest.getValue().steps())
        .filteredOn(t -> t.step() == Step.TRANSCRIBE || t.step() == Step.REFINE)
        .extracting(StepTiming::step, StepTiming::queue, StepTiming::engine, StepTiming::succeeded,
            StepTiming::audioSec)
        .containsExactly(
            tuple(Step.TRANSCRIBE, GPU, "parakeet", true, AUDIO_SEC), tuple(Step.REFINE, CPU, "deepgram", true, 4.5));
    assertThat(result.timings()).containsKeys("transcribe", "refine");
    assertThat(WorkflowStub.fromTyped(wf).describe().getTypedSearchAttributes().get(SearchAttributes.ENGINE))
        .isEqualTo("parakeet+deepgram");
  }

  @Test
  void hybridRefinementFailingAfterItsRetriesKeepsTheParakeetTranscript() {
    facts = facts(true, true, true);
    doAnswer(inv -> {
          record();
          throw ApplicationFailure.newFailure(
              "Deepgram unavailable after 4 request(s): HTTP 503: try later", "DeepgramUnavailable");
        })
        .when(refine).refineLowConfidence(any());
    start(true);

    JobResult result =
        result(startJob("job-hybrid-fails", JobRequest.of(SOURCE_URI).withEngine(EngineMode.HYBRID)));

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(result.transcription().engine()).isEqualTo("parakeet");
    assertThat(result.transcription().text()).isEqualTo("hello from parakeet");
    assertThat(result.transcription().fallbacks()).containsExactly(
        "deepgram refinement: Deepgram unavailable after 4 request(s): HTTP 503: try later; kept the parakeet"
            + " transcript");
    assertThat(calls).filteredOn(c -> c.activity().equals("RefineLowConfidence"))
        .extracting(Call::queue, Call::attempt)
        .containsExactly(tuple(CPU, 1), tuple(CPU, 2), tuple(CPU, 3));
    // The transcript is kept: only the source copy is deleted, no compensation ran.
    assertThat(deletedPrefixes).containsExactly(JobPaths.SOURCE);
    verify(highlight).pickHighlights(new HighlightRequest("job-hybrid-fails",
        "file:///store/jobs/job-hybrid-fails/transcript/transcript.json",
        "file:///store/jobs/job-hybrid-fails/audio/audio.wav", JobRequest.of(SOURCE_URI).highlights()));
    ArgumentCaptor<CostRequest> costRequest = ArgumentCaptor.forClass(CostRequest.class);
    verify(cost).computeCost(costRequest.capture());
    assertThat(costRequest.getValue().steps())
        .filteredOn(t -> t.step() == Step.REFINE)
        .extracting(StepTiming::engine, StepTiming::succeeded)
        .containsExactly(tuple("deepgram", false));
  }

  @Test
  void hybridWithoutDeepgramRunsParakeetAloneAndNeverRefines() {
    facts = facts(true, false, true);
    start(true);

    JobResult result =
        result(startJob("job-hybrid-nokey", JobRequest.of(SOURCE_URI).withEngine(EngineMode.HYBRID)));

    assertThat(result.transcription().engine()).isEqualTo("parakeet");
    assertThat(result.transcription().plan())
        .startsWith("hybrid not possible (no Deepgram key), a single engine instead: auto: parakeet");
    verify(refine, never()).refineLowConfidence(any());
  }

  @Test
  void everyEngineFailingFailsTheJobWithTheLastCause() {
    facts = facts(true, false, true);
    doAnswer(inv -> {
          record();
          throw ApplicationFailure.newFailure("CUDA libraries not found", ErrorTypes.ENGINE_UNAVAILABLE);
        })
        .when(gpuTranscribe).transcribe(any());
    doAnswer(inv -> {
          record();
          throw ApplicationFailure.newFailure("vosk model missing", ErrorTypes.ENGINE_UNAVAILABLE);
        })
        .when(cpuTranscribe).transcribe(any());
    start(true);
    VideoPipelineWorkflow wf = startJob("job-no-engine", JobRequest.of(SOURCE_URI));

    ApplicationFailure failure = (ApplicationFailure) catchFailure(wf).getCause();

    assertThat(failure.getType()).isEqualTo(ErrorTypes.ENGINE_UNAVAILABLE);
    assertThat(failure.getOriginalMessage())
        .isEqualTo("no transcription engine succeeded: parakeet: CUDA libraries not found; local: vosk model missing");
    JobResult partial = failure.getDetails().get(JobResult.class);
    assertThat(partial.transcription().engine()).isNull();
    assertThat(partial.transcription().fallbacks()).hasSize(2);
    assertThat(deletedPrefixes).containsExactly(JobPaths.TRANSCRIPT, JobPaths.AUDIO, JobPaths.SOURCE);
  }

  @Test
  void duplicateJobIdIsRejectedWhileRunningAndAfterwards() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    doAnswer(inv -> {
          record();
          blockUntilReleased(entered, release);
          DownloadRequest r = inv.getArgument(0);
          return new StoredSource(r.sourceUri(), "file:///store/jobs/job-dup/source/talk.mp4", 5_000_000, "ab12");
        })
        .when(download).download(any());
    start(false);
    JobRequest request = JobRequest.of(SOURCE_URI);
    VideoPipelineWorkflow first = startJob("job-dup", request);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(() -> startJob("job-dup", request)).isInstanceOf(WorkflowExecutionAlreadyStarted.class);
    release.countDown();
    assertThat(result(first).status()).isEqualTo(JobStatus.COMPLETED);
    assertThatThrownBy(() -> startJob("job-dup", request)).isInstanceOf(WorkflowExecutionAlreadyStarted.class);
    verify(download).download(any());
  }

  @Test
  void describeNamesTheActivityCause() {
    ErrorInfo info = VideoPipelineWorkflowImpl.describe(ApplicationFailure.newFailure("boom", "X"));
    assertThat(info).isEqualTo(new ErrorInfo("X", "boom"));
    assertThat(VideoPipelineWorkflowImpl.describe(new IllegalStateException("odd")))
        .isEqualTo(new ErrorInfo("IllegalStateException", "odd"));
  }

  // ---- fixtures

  private static RouteFacts facts(boolean parakeet, boolean deepgram, boolean local) {
    return new RouteFacts(
        List.of(
            new EngineOption(Engine.PARAKEET, parakeet, 0.002, 0.05, parakeet ? "1 GPU poller" : "no GPU worker"),
            new EngineOption(Engine.DEEPGRAM, deepgram, 0.0043, 0.1, deepgram ? "API key set" : "no Deepgram key"),
            new EngineOption(Engine.LOCAL, local, 0.00024, 0.04, local ? "vosk model" : "no vosk model")));
  }

  private static ExtractedAudio extracted(String jobId) {
    MediaInfo media =
        new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", AUDIO_SEC, 800_000,
            List.of(new MediaInfo.VideoStream(0, "h264", 1920, 1080, 30)),
            List.of(new MediaInfo.AudioStream(1, "aac", 48_000, 2, "stereo", 60)));
    return new ExtractedAudio("file:///store/jobs/" + jobId + "/audio/audio.wav", media, AUDIO_SEC, 0.5);
  }

  private static TranscriptionOutcome outcome(TranscribeRequest r) {
    String dir = "file:///store/jobs/" + r.jobId() + "/transcript/transcript.";
    return new TranscriptionOutcome(
        r.engine(), dir + "json",
        Map.of("json", dir + "json", "srt", dir + "srt", "vtt", dir + "vtt", "txt", dir + "txt"),
        42, AUDIO_SEC, 0.9, "hello from " + r.engine().wireName(), 3.0);
  }

  private void record() {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    calls.add(new Call(info.getActivityType(), info.getActivityTaskQueue(), info.getAttempt(),
        info.getPriority().getPriorityKey()));
  }

  /** Starts a job whose transcription heartbeats until it is cancelled; returns once the transcription runs. */
  private VideoPipelineWorkflow startJobBlockedInTranscription(String jobId, AtomicBoolean activityCancelled)
      throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(1);
    doAnswer(inv -> {
          record();
          blockUntilCancelled(entered, activityCancelled);
          return null;
        })
        .when(cpuTranscribe).transcribe(any());
    start(false);
    VideoPipelineWorkflow wf = startJob(jobId, JobRequest.of(SOURCE_URI));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    return wf;
  }

  /** Heartbeats until the release, like a real long step, so cancellation and heartbeat timeouts behave. */
  private static void blockUntilReleased(CountDownLatch entered, CountDownLatch release) throws InterruptedException {
    ActivityExecutionContext context = Activity.getExecutionContext();
    entered.countDown();
    while (!release.await(100, TimeUnit.MILLISECONDS)) {
      context.heartbeat(null);
    }
  }

  private static void blockUntilCancelled(CountDownLatch entered, AtomicBoolean cancelled)
      throws InterruptedException {
    ActivityExecutionContext context = Activity.getExecutionContext();
    entered.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try {
        context.heartbeat(null);
      } catch (ActivityCanceledException e) {
        cancelled.set(true);
        throw e;
      }
      Thread.sleep(100);
    }
    fail("activity was never cancelled");
  }

  private static WorkflowFailedException catchFailure(VideoPipelineWorkflow wf) {
    try {
      result(wf);
    } catch (WorkflowFailedException e) {
      return e;
    }
    throw new AssertionError("workflow did not fail");
  }

  private static void awaitTrue(Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        fail("condition not met within 10 s");
      }
      Thread.sleep(50);
    }
  }
}

package io.videopipe.pipeline;

import static io.videopipe.pipeline.FakePipeline.AUDIO_SEC;
import static io.videopipe.pipeline.FakePipeline.only;
import static io.videopipe.pipeline.PipelineTestEnvironment.CPU;
import static io.videopipe.pipeline.PipelineTestEnvironment.GPU;
import static io.videopipe.pipeline.PipelineTestEnvironment.SOURCE_URI;
import static io.videopipe.pipeline.PipelineTestEnvironment.awaitTrue;
import static io.videopipe.pipeline.PipelineTestEnvironment.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.audio.ExtractAudioRequest;
import io.videopipe.audio.MediaInfo;
import io.videopipe.clip.ClipOptions;
import io.videopipe.clip.ClipRequest;
import io.videopipe.clip.RenderedClip;
import io.videopipe.cost.CostRequest;
import io.videopipe.download.DownloadRequest;
import io.videopipe.notify.WebhookActivities;
import io.videopipe.notify.WebhookDelivery;
import io.videopipe.notify.WebhookReceipt;
import io.videopipe.pipeline.FakePipeline.Call;
import io.videopipe.pipeline.FakePipeline.Deletion;
import io.videopipe.pipeline.FakePipeline.Gate;
import io.videopipe.route.Engine;
import io.videopipe.transcribe.TranscribeRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A job from start to end: the steps in order on their queues, the result, progress, priority and retries. */
class JobLifecycleTest {
  @RegisterExtension final PipelineTestEnvironment testEnv = new PipelineTestEnvironment();
  private final FakePipeline pipeline = testEnv.pipeline();

  @Test
  void theRequestedAudioTrackReachesExtractAudioAndTheChosenOneTheResult() {
    testEnv.startWithGpuWorker();
    JobRequest request = JobRequest.builder(SOURCE_URI).audioTrack(" eng ").build();

    JobResult result = result(testEnv.startJob("job-track", request));

    assertThat(pipeline.audio.requests())
        .containsExactly(new ExtractAudioRequest("job-track", "file:///store/jobs/job-track/source/talk.mp4", "eng"));
    assertThat(result.source().media().audioTrack()).isEqualTo(new MediaInfo.AudioTrack(1, "eng", "default track"));
    for (String bad : new String[] {"english", "-1", "1234", "en-US"}) {
      assertThatThrownBy(() -> JobRequest.builder(SOURCE_URI).audioTrack(bad).build())
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("audioTrack must be a stream index (0-999) or a 2- or 3-letter language code");
    }
  }

  @Test
  void happyPathRunsEveryStepInOrderOnTheRightQueue() {
    pipeline.route.engines(true, false, true);
    testEnv.startWithGpuWorker();
    JobRequest request = JobRequest.builder(SOURCE_URI).requestedBy("alice").build();

    VideoPipelineWorkflow wf = testEnv.startJob("job-happy", request);
    JobResult result = result(wf);

    assertThat(pipeline.download.requests()).containsExactly(new DownloadRequest("job-happy", SOURCE_URI));
    assertThat(pipeline.audio.requests())
        .containsExactly(new ExtractAudioRequest("job-happy", "file:///store/jobs/job-happy/source/talk.mp4", null));
    assertThat(pipeline.route.requests()).hasSize(1);
    assertThat(pipeline.gpuTranscribe.requests())
        .containsExactly(new TranscribeRequest("job-happy", "file:///store/jobs/job-happy/audio/audio.wav",
            Engine.PARAKEET, "en"));
    assertThat(pipeline.highlights.requests()).hasSize(1);
    assertThat(pipeline.qa.requests()).hasSize(1);
    assertThat(pipeline.cost.requests()).hasSize(1);
    assertThat(pipeline.cleanup.requests()).containsExactly(new Deletion("job-happy", List.of(JobPaths.SOURCE)));
    assertThat(pipeline.cpuTranscribe.requests()).isEmpty();

    assertThat(pipeline.calls)
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
    assertThat(pipeline.calls).allMatch(c -> c.attempt() == 1 && c.priority() == 3);
    ClipRequest clipRequest = only(pipeline.clips);
    assertThat(clipRequest.sourceUri()).isEqualTo("file:///store/jobs/job-happy/source/talk.mp4");
    assertThat(clipRequest.transcriptUri()).isEqualTo("file:///store/jobs/job-happy/transcript/transcript.json");
    assertThat(clipRequest.attempt()).isEqualTo(1);
    assertThat(clipRequest.options()).isEqualTo(ClipOptions.defaults());

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

    CostRequest costRequest = only(pipeline.cost);
    assertThat(costRequest.audioSec()).isEqualTo(AUDIO_SEC);
    assertThat(costRequest.storedBytes()).isEqualTo((long) (AUDIO_SEC * 32_000) + 1_000_000);
    assertThat(costRequest.engines()).isEqualTo(pipeline.route.facts().options());
    assertThat(costRequest.steps())
        .extracting(StepTiming::step, StepTiming::queue, StepTiming::engine, StepTiming::succeeded)
        .containsExactly(
            tuple(Step.DOWNLOAD, CPU, null, true),
            tuple(Step.EXTRACT_AUDIO, CPU, null, true),
            tuple(Step.ROUTE, CPU, null, true),
            tuple(Step.TRANSCRIBE, GPU, "parakeet", true),
            tuple(Step.HIGHLIGHT, CPU, null, true),
            tuple(Step.RENDER, CPU, null, true),
            tuple(Step.QA, CPU, null, true));
    assertThat(costRequest.steps().get(1).computeSec()).isEqualTo(0.5);
    assertThat(costRequest.steps().get(5).computeSec()).isEqualTo(2.5);

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
    assertThat(timed.subList(0, timed.size() - 1)).isEqualTo(costRequest.steps());
    assertThat(timed.get(timed.size() - 1).step()).isEqualTo(Step.COST);
  }

  @Test
  void aFreshHistoryReplaysDeterministically() throws Exception {
    testEnv.start();
    result(testEnv.startJob("job-replay", JobRequest.of(SOURCE_URI)));

    testEnv.replay("job-replay");
  }

  @Test
  void keepSourceSkipsSourceCleanupAndFailedQaNeedsReview() {
    pipeline.qa.highlightsFail();
    testEnv.start();
    JobRequest request = JobRequest.builder(SOURCE_URI).keepSource(true).build();

    VideoPipelineWorkflow wf = testEnv.startJob("job-keep", request);
    JobResult result = result(wf);

    assertThat(result.status()).isEqualTo(JobStatus.NEEDS_REVIEW);
    assertThat(result.transcription().engine()).isEqualTo("local");
    assertThat(pipeline.cleanup.requests()).isEmpty();
    assertThat(only(pipeline.cost).storedBytes()).isEqualTo((long) (AUDIO_SEC * 32_000) + 5_000_000 + 1_000_000);
    assertThat(WorkflowStub.fromTyped(wf).describe().getTypedSearchAttributes().get(SearchAttributes.STATUS))
        .isEqualTo("NEEDS_REVIEW");
  }

  @Test
  void retryableFailureIsRetriedThenSucceeds() {
    AtomicInteger extractCalls = new AtomicInteger();
    pipeline.audio.answers(r -> {
      if (extractCalls.incrementAndGet() == 1) {
        throw ApplicationFailure.newFailure("storage hiccup", ErrorTypes.TRANSIENT);
      }
      return FakePipeline.extracted(r.jobId());
    });
    testEnv.start();

    JobResult result = result(testEnv.startJob("job-retry", JobRequest.of(SOURCE_URI)));

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(pipeline.callsOf("ExtractAudio")).extracting(Call::attempt).containsExactly(1, 2);
  }

  @Test
  void reprioritizeAppliesToStepsScheduledAfterIt() throws Exception {
    Gate gate = new Gate();
    pipeline.audio.answers(r -> {
      gate.pass();
      return FakePipeline.extracted(r.jobId());
    });
    testEnv.start();
    VideoPipelineWorkflow wf =
        testEnv.startJob("job-prio", JobRequest.builder(SOURCE_URI).priority(4).build());
    gate.awaitEntered();

    wf.reprioritize(1);
    wf.reprioritize(9); // out of range: ignored
    awaitTrue(() -> wf.progress().priority() == 1);
    gate.open();
    JobResult result = result(wf);

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(pipeline.calls)
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
    Gate gate = new Gate();
    pipeline.cpuTranscribe.answers(r -> {
      gate.pass();
      return FakePipeline.outcome(r);
    });
    testEnv.start();
    VideoPipelineWorkflow wf =
        testEnv.startJob("job-progress", JobRequest.builder(SOURCE_URI).priority(2).build());
    gate.awaitEntered();

    Progress progress = wf.progress();
    List<StepTiming> soFar = wf.stepTimings();
    WorkflowExecutionDescription running = WorkflowStub.fromTyped(wf).describe();
    gate.open();

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

  @Test
  void duplicateJobIdIsRejectedWhileRunningAndAfterwards() throws Exception {
    Gate gate = new Gate();
    pipeline.download.answers(r -> {
      gate.pass();
      return FakePipeline.stored(r);
    });
    testEnv.start();
    JobRequest request = JobRequest.of(SOURCE_URI);
    VideoPipelineWorkflow first = testEnv.startJob("job-dup", request);
    gate.awaitEntered();

    assertThatThrownBy(() -> testEnv.startJob("job-dup", request))
        .isInstanceOf(WorkflowExecutionAlreadyStarted.class);
    gate.open();
    assertThat(result(first).status()).isEqualTo(JobStatus.COMPLETED);
    assertThatThrownBy(() -> testEnv.startJob("job-dup", request))
        .isInstanceOf(WorkflowExecutionAlreadyStarted.class);
    assertThat(pipeline.download.requests()).hasSize(1);
  }

  @Test
  void aSignedSourceIsShownRedactedAndGoesRawOnlyToTheDownload() {
    pipeline.download.answers(
        r -> {
          throw ApplicationFailure.newNonRetryableFailure("source not found (HTTP 404)", ErrorTypes.SOURCE_NOT_FOUND);
        });
    testEnv.start();
    String signed = "https://user:pw@cdn.example.com/talk.mp4?X-Goog-Signature=SECRET123#t=5";
    VideoPipelineWorkflow wf = testEnv.startJob("job-signed", JobRequest.of(signed));
    PipelineTestEnvironment.failure(wf);

    // the download gets the raw URI; the job's memo, the activity's summary and the partial result only its display
    assertThat(only(pipeline.download).sourceUri()).isEqualTo(signed);
    WorkflowExecutionDescription described = WorkflowStub.fromTyped(wf).describe();
    assertThat(described.getMemo(VideoPipelineOptions.MEMO_SOURCE, String.class))
        .isEqualTo("https://cdn.example.com/talk.mp4");
    List<String> summaries =
        testEnv.history("job-signed").getEvents().stream()
            .filter(e -> e.hasActivityTaskScheduledEventAttributes() && e.hasUserMetadata())
            .map(e -> io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
                e.getUserMetadata().getSummary(), String.class, String.class))
            .toList();
    assertThat(summaries).contains("downloading https://cdn.example.com/talk.mp4");
    assertThat(summaries).noneMatch(s -> s.contains("SECRET123") || s.contains("pw@"));
    JobResult failed = wf.finalResult();
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.source().uri()).isEqualTo("https://cdn.example.com/talk.mp4");
    assertThat(wf.webhookDelivery()).as("no webhook URL, no delivery record").isNull();
  }

  @Test
  void theWebhookDeliveryIsRecordedWithItsAttemptsAndLastStatus() {
    AtomicInteger calls = new AtomicInteger();
    pipeline.webhook.answers(
        n -> {
          int attempt = io.temporal.activity.Activity.getExecutionContext().getInfo().getAttempt();
          if (calls.incrementAndGet() < 3) {
            throw ApplicationFailure.newFailure(
                "webhook receiver answered HTTP 503", "WebhookFailed", new WebhookReceipt(503, attempt));
          }
          return new WebhookReceipt(204, attempt);
        });
    testEnv.start();
    VideoPipelineWorkflow wf =
        testEnv.startJob(
            "job-hook", JobRequest.builder(SOURCE_URI).webhookUrl("https://hooks.example.com/done").build());
    JobResult result = result(wf);

    assertThat(pipeline.webhook.requests()).hasSize(3);
    assertThat(wf.finalResult()).isEqualTo(result);
    WebhookDelivery delivery = wf.webhookDelivery();
    assertThat(delivery.state()).isEqualTo(WebhookDelivery.DELIVERED);
    assertThat(delivery.attempts()).isEqualTo(3);
    assertThat(delivery.lastHttpStatus()).isEqualTo(204);
    assertThat(delivery.deliveredAt()).isNotBlank();
    assertThat(delivery.reason()).isNull();
  }

  @Test
  void aRefusedWebhookIsRecordedAndLeavesTheJobCompleted() {
    pipeline.webhook.answers(
        n -> {
          throw ApplicationFailure.newNonRetryableFailure(
              "webhook receiver answered HTTP 410", WebhookActivities.REJECTED_TYPE, new WebhookReceipt(410, 1));
        });
    testEnv.start();
    VideoPipelineWorkflow wf =
        testEnv.startJob(
            "job-hook-gone", JobRequest.builder(SOURCE_URI).webhookUrl("https://hooks.example.com/gone").build());

    assertThat(result(wf).status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(pipeline.webhook.requests()).hasSize(1);
    WebhookDelivery delivery = wf.webhookDelivery();
    assertThat(delivery.state()).isEqualTo(WebhookDelivery.REFUSED);
    assertThat(delivery.attempts()).isEqualTo(1);
    assertThat(delivery.lastHttpStatus()).isEqualTo(410);
    assertThat(delivery.deliveredAt()).isNull();
    assertThat(delivery.reason()).contains("HTTP 410");
  }
}

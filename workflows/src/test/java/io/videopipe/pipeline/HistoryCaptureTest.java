package io.videopipe.pipeline;

import static io.videopipe.pipeline.PipelineTestEnvironment.SOURCE_URI;
import static io.videopipe.pipeline.PipelineTestEnvironment.TIMEOUTS;
import static io.videopipe.pipeline.PipelineTestEnvironment.failure;
import static io.videopipe.pipeline.PipelineTestEnvironment.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.route.EngineMode;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Captures the histories {@link HistoryReplayTest} replays: the main paths of a job, run by the real workflow over the
 * {@link FakePipeline}. Off by default, so a build never overwrites a stored history; run it only to add a history
 * (see CONTRIBUTING.md):
 *
 * <pre>mvn -B -ntp -o -pl workflows test -Dtest=HistoryCaptureTest -Dvideopipe.captureHistories=true</pre>
 *
 * <p>A history already stored is kept unless {@code -Dvideopipe.recapture=true} ({@link HistoryFiles}). The bulk
 * workflow's histories are captured by {@code BulkReprocessWorkflowTest} the same way.
 */
@EnabledIfSystemProperty(named = "videopipe.captureHistories", matches = "true")
class HistoryCaptureTest {
  @RegisterExtension final PipelineTestEnvironment testEnv = new PipelineTestEnvironment();

  private FakePipeline pipeline() {
    return testEnv.pipeline();
  }

  @Test
  void completed() throws Exception {
    pipeline().route.engines(true, false, true);
    testEnv.startWithGpuWorker();
    JobRequest request =
        JobRequest.builder(SOURCE_URI).requestedBy("alice").webhookUrl("https://hooks.example.com/done").build();

    VideoPipelineWorkflow wf = testEnv.startJob("job-completed", request);
    assertThat(result(wf).status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(pipeline().webhook.requests()).hasSize(1);
    save("completed", "job-completed");
  }

  @Test
  void fallbackAfterEngineFailure() throws Exception {
    pipeline().route.engines(true, false, true);
    pipeline().gpuTranscribe.answers(r -> {
      throw ApplicationFailure.newFailure("CUDA libraries not found", ErrorTypes.ENGINE_UNAVAILABLE);
    });
    testEnv.startWithGpuWorker();

    JobResult result = result(testEnv.startJob("job-fallback", JobRequest.of(SOURCE_URI)));
    assertThat(result.transcription().engine()).isEqualTo("local");
    save("fallback-after-engine-failure", "job-fallback");
  }

  @Test
  void workerLossRerunsTheSameEngine() throws Exception {
    AtomicInteger transcribeCalls = new AtomicInteger();
    pipeline().cpuTranscribe.answers(r -> {
      if (transcribeCalls.incrementAndGet() == 1) {
        Thread.sleep(2_500); // no heartbeat: the server times the attempt out as it would a dead worker
      }
      return FakePipeline.outcome(r);
    });
    testEnv.start(false, oneAttemptPerSchedule());

    JobResult result =
        result(testEnv.startJob("job-worker-loss", JobRequest.builder(SOURCE_URI).engine(EngineMode.LOCAL).build()));
    assertThat(result.transcription().fallbacks()).isEmpty();
    assertThat(transcribeCalls).hasValue(2);
    save("worker-loss-rerun", "job-worker-loss");
  }

  @Test
  void hybridRefine() throws Exception {
    pipeline().route.engines(true, true, true);
    testEnv.startWithGpuWorker();

    JobResult result =
        result(testEnv.startJob("job-hybrid", JobRequest.builder(SOURCE_URI).engine(EngineMode.HYBRID).build()));
    assertThat(result.transcription().engine()).isEqualTo("parakeet+deepgram");
    save("hybrid-refine", "job-hybrid");
  }

  @Test
  void hybridRefineFailed() throws Exception {
    pipeline().route.engines(true, true, true);
    pipeline().refine.answers(r -> {
      throw ApplicationFailure.newFailure(
          "Deepgram unavailable after 4 request(s): HTTP 503: try later", "DeepgramUnavailable");
    });
    testEnv.startWithGpuWorker();

    JobResult result =
        result(
            testEnv.startJob("job-hybrid-fails", JobRequest.builder(SOURCE_URI).engine(EngineMode.HYBRID).build()));
    assertThat(result.transcription().engine()).isEqualTo("parakeet");
    save("hybrid-refine-failed", "job-hybrid-fails");
  }

  /** After {@code transcript-compensation-once}: a hybrid job's compensations delete the transcript once. */
  @Test
  void hybridRefinedThenFailed() throws Exception {
    pipeline().route.engines(true, true, true);
    pipeline().cost.answers(r -> {
      throw ApplicationFailure.newNonRetryableFailure("ledger broken", ErrorTypes.INVALID_REQUEST);
    });
    testEnv.startWithGpuWorker();

    failure(testEnv.startJob("job-hybrid-then-fails", JobRequest.builder(SOURCE_URI).engine(EngineMode.HYBRID).build()));
    assertThat(pipeline().deletedPrefixes())
        .containsExactly(JobPaths.COST, JobPaths.QA, JobPaths.CLIPS, JobPaths.HIGHLIGHTS, JobPaths.TRANSCRIPT,
            JobPaths.AUDIO, JobPaths.SOURCE);
    save("hybrid-refined-then-failed-v1", "job-hybrid-then-fails");
  }

  @Test
  void cancelledMidTranscription() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    AtomicBoolean cancelled = new AtomicBoolean();
    pipeline().cpuTranscribe.answers(r -> {
      FakePipeline.heartbeatUntilCancelled(entered, cancelled);
      return null;
    });
    testEnv.start();
    VideoPipelineWorkflow wf = testEnv.startJob("job-cancelled", JobRequest.of(SOURCE_URI));
    entered.await();

    wf.cancel("user changed their mind");
    failure(wf);
    assertThat(cancelled).isTrue();
    save("cancelled-mid-transcription", "job-cancelled");
  }

  @Test
  void cancelledByTemporal() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    AtomicBoolean cancelled = new AtomicBoolean();
    pipeline().cpuTranscribe.answers(r -> {
      FakePipeline.heartbeatUntilCancelled(entered, cancelled);
      return null;
    });
    testEnv.start();
    VideoPipelineWorkflow wf = testEnv.startJob("job-temporal-cancel", JobRequest.of(SOURCE_URI));
    entered.await();

    WorkflowStub.fromTyped(wf).cancel("operator stop");
    failure(wf);
    assertThat(cancelled).isTrue();
    save("cancelled-by-temporal", "job-temporal-cancel");
  }

  @Test
  void rerenderedThenPassed() throws Exception {
    pipeline().highlights.count(3);
    pipeline().qa.thenFailsClips(2);
    testEnv.start();

    JobResult result = result(testEnv.startJob("job-rerender", JobRequest.of(SOURCE_URI)));
    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    save("rerendered-then-passed", "job-rerender");
  }

  @Test
  void needsReviewAfterRerender() throws Exception {
    pipeline().highlights.count(2);
    pipeline().qa.thenFailsClips(1);
    pipeline().qa.thenFailsClips(1);
    testEnv.start();

    JobResult result = result(testEnv.startJob("job-review", JobRequest.of(SOURCE_URI)));
    assertThat(result.status()).isEqualTo(JobStatus.NEEDS_REVIEW);
    save("needs-review-after-rerender", "job-review");
  }

  @Test
  void unrenderableClip() throws Exception {
    pipeline().highlights.count(2);
    pipeline().clips.unrenderable(2);
    testEnv.start();

    JobResult result = result(testEnv.startJob("job-unrenderable", JobRequest.of(SOURCE_URI)));
    assertThat(result.status()).isEqualTo(JobStatus.NEEDS_REVIEW);
    save("unrenderable-clip", "job-unrenderable");
  }

  @Test
  void failedOnBadMedia() throws Exception {
    pipeline().audio.answers(r -> {
      throw ApplicationFailure.newFailure("Invalid data found when processing input", ErrorTypes.UNSUPPORTED_MEDIA);
    });
    testEnv.start();

    VideoPipelineWorkflow wf = testEnv.startJob("job-bad-media", JobRequest.of(SOURCE_URI));
    assertThat(failure(wf).getCause()).isInstanceOf(ApplicationFailure.class);
    save("failed-unsupported-media", "job-bad-media");
  }

  /** One attempt per schedule, so a worker loss reaches the workflow at once. */
  static PipelineTimeouts oneAttemptPerSchedule() {
    PipelineTimeouts t = TIMEOUTS;
    return new PipelineTimeouts(t.download(), t.extractAudio(), t.route(), t.transcribe(), t.highlights(), t.render(),
        t.qa(), t.cost(), t.cleanup(), t.heartbeat(), t.gpuScheduleToStart(), t.initialRetryInterval(),
        t.maxRetryInterval(), t.maxAttempts(), 1);
  }

  private void save(String name, String jobId) throws IOException {
    HistoryFiles.saveIfCapturing(name, testEnv.history(jobId));
  }
}

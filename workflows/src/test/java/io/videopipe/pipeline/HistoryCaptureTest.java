package io.videopipe.pipeline;

import static io.videopipe.pipeline.PipelineTestEnvironment.SOURCE_URI;
import static io.videopipe.pipeline.PipelineTestEnvironment.TIMEOUTS;
import static io.videopipe.pipeline.PipelineTestEnvironment.failure;
import static io.videopipe.pipeline.PipelineTestEnvironment.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.clip.ClipOptions;
import io.videopipe.route.EngineMode;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Captures the histories {@link HistoryReplayTest} replays: the main paths of a job, run by the real workflow over the
 * {@link FakePipeline}. Off by default, so a build never overwrites a stored history; run it only to add a history
 * (see CONTRIBUTING.md):
 *
 * <pre>mvn -B -ntp -o -pl workflows test -Dtest=HistoryCaptureTest -Dvideopipe.captureHistories=true</pre>
 *
 * <p>Every path is one row of {@link #paths()}; a new path is a new row. A history already stored is kept unless
 * {@code -Dvideopipe.recapture=true} ({@link HistoryFiles}). The bulk workflow's histories are captured by {@code
 * BulkReprocessWorkflowTest} the same way.
 */
@EnabledIfSystemProperty(named = "videopipe.captureHistories", matches = "true")
class HistoryCaptureTest {
  @RegisterExtension final PipelineTestEnvironment testEnv = new PipelineTestEnvironment();

  /** The workers a path runs on. */
  enum Workers {
    CPU,
    CPU_AND_GPU,
    /** CPU only, one attempt per schedule, so a worker loss reaches the workflow at once. */
    CPU_ONE_ATTEMPT;

    void start(PipelineTestEnvironment env) {
      switch (this) {
        case CPU -> env.start();
        case CPU_AND_GPU -> env.startWithGpuWorker();
        case CPU_ONE_ATTEMPT -> env.start(false, oneAttemptPerSchedule());
      }
    }
  }

  /** What the job must end in, checked before its history is stored. */
  @FunctionalInterface
  interface Outcome {
    void check(VideoPipelineWorkflow job, FakePipeline pipeline) throws Exception;
  }

  /**
   * One path: the fakes' script, the workers, the job's request, and the outcome that shows the job took the path.
   *
   * @param history the stored file's name, without {@code .json}
   */
  record Path(String history, String jobId, Consumer<FakePipeline> script, Workers workers, JobRequest request,
      Outcome outcome) {
    @Override
    public String toString() {
      return history;
    }
  }

  /** Three frames of every highlight from one RenderClip each. */
  private static final ClipOptions THREE_ASPECTS =
      new ClipOptions(ClipOptions.DEFAULT_TARGET_LUFS, ClipOptions.DEFAULT_MAX_TRUE_PEAK_DBTP, false, false, null,
          false, List.of(ClipOptions.SOURCE, ClipOptions.VERTICAL, ClipOptions.SQUARE));

  static Stream<Path> paths() {
    return Stream.of(
        new Path("completed", "job-completed", p -> p.route.engines(true, false, true), Workers.CPU_AND_GPU,
            JobRequest.builder(SOURCE_URI).requestedBy("alice").webhookUrl("https://hooks.example.com/done").build(),
            (job, p) -> {
              assertThat(result(job).status()).isEqualTo(JobStatus.COMPLETED);
              assertThat(p.webhook.requests()).hasSize(1);
            }),
        new Path("fallback-after-engine-failure", "job-fallback",
            p -> {
              p.route.engines(true, false, true);
              p.gpuTranscribe.answers(r -> {
                throw ApplicationFailure.newFailure("CUDA libraries not found", ErrorTypes.ENGINE_UNAVAILABLE);
              });
            },
            Workers.CPU_AND_GPU, JobRequest.of(SOURCE_URI),
            (job, p) -> assertThat(result(job).transcription().engine()).isEqualTo("local")),
        workerLossRerunsTheSameEngine(),
        new Path("hybrid-refine", "job-hybrid", p -> p.route.engines(true, true, true), Workers.CPU_AND_GPU,
            JobRequest.builder(SOURCE_URI).engine(EngineMode.HYBRID).build(),
            (job, p) -> assertThat(result(job).transcription().engine()).isEqualTo("parakeet+deepgram")),
        new Path("hybrid-refine-failed", "job-hybrid-fails",
            p -> {
              p.route.engines(true, true, true);
              p.refine.answers(r -> {
                throw ApplicationFailure.newFailure(
                    "Deepgram unavailable after 4 request(s): HTTP 503: try later", "DeepgramUnavailable");
              });
            },
            Workers.CPU_AND_GPU, JobRequest.builder(SOURCE_URI).engine(EngineMode.HYBRID).build(),
            (job, p) -> assertThat(result(job).transcription().engine()).isEqualTo("parakeet")),
        // after transcript-compensation-once: a hybrid job's compensations delete the transcript once
        new Path("hybrid-refined-then-failed-v1", "job-hybrid-then-fails",
            p -> {
              p.route.engines(true, true, true);
              p.cost.answers(r -> {
                throw ApplicationFailure.newNonRetryableFailure("ledger broken", ErrorTypes.INVALID_REQUEST);
              });
            },
            Workers.CPU_AND_GPU, JobRequest.builder(SOURCE_URI).engine(EngineMode.HYBRID).build(),
            (job, p) -> {
              failure(job);
              assertThat(p.deletedPrefixes())
                  .containsExactly(JobPaths.COST, JobPaths.QA, JobPaths.CLIPS, JobPaths.HIGHLIGHTS,
                      JobPaths.TRANSCRIPT, JobPaths.AUDIO, JobPaths.SOURCE);
            }),
        cancelledMidTranscription("cancelled-mid-transcription", "job-cancelled",
            job -> job.cancel("user changed their mind")),
        cancelledMidTranscription("cancelled-by-temporal", "job-temporal-cancel",
            job -> WorkflowStub.fromTyped(job).cancel("operator stop")),
        new Path("rerendered-then-passed", "job-rerender",
            p -> {
              p.highlights.count(3);
              p.qa.thenFailsClips(2);
            },
            Workers.CPU, JobRequest.of(SOURCE_URI),
            (job, p) -> assertThat(result(job).status()).isEqualTo(JobStatus.COMPLETED)),
        new Path("needs-review-after-rerender", "job-review",
            p -> {
              p.highlights.count(2);
              p.qa.thenFailsClips(1);
              p.qa.thenFailsClips(1);
            },
            Workers.CPU, JobRequest.of(SOURCE_URI),
            (job, p) -> assertThat(result(job).status()).isEqualTo(JobStatus.NEEDS_REVIEW)),
        new Path("unrenderable-clip", "job-unrenderable",
            p -> {
              p.highlights.count(2);
              p.clips.unrenderable(2);
            },
            Workers.CPU, JobRequest.of(SOURCE_URI),
            (job, p) -> assertThat(result(job).status()).isEqualTo(JobStatus.NEEDS_REVIEW)),
        new Path("failed-unsupported-media", "job-bad-media",
            p -> p.audio.answers(r -> {
              throw ApplicationFailure.newFailure("Invalid data found when processing input",
                  ErrorTypes.UNSUPPORTED_MEDIA);
            }),
            Workers.CPU, JobRequest.of(SOURCE_URI),
            (job, p) -> assertThat(failure(job).getCause()).isInstanceOf(ApplicationFailure.class)),
        new Path("clips-in-three-aspects", "job-aspects", p -> p.highlights.count(2), Workers.CPU,
            JobRequest.builder(SOURCE_URI).clips(THREE_ASPECTS).build(),
            (job, p) -> {
              JobResult result = result(job);
              assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
              assertThat(p.clips.requests()).hasSize(2)
                  .allSatisfy(r -> assertThat(r.options()).isEqualTo(THREE_ASPECTS));
              assertThat(result.clips()).allSatisfy(c -> assertThat(c.formats()).hasSize(3));
              assertThat(result.artifacts()).containsKeys("clip-01.mp4", "clip-01-9x16.mp4", "clip-01-1x1.mp4",
                  "clip-02.mp4", "clip-02-9x16.mp4", "clip-02-1x1.mp4");
            }));
  }

  /** The first transcription attempt sends no heartbeat: the server times it out as it would a dead worker's. */
  private static Path workerLossRerunsTheSameEngine() {
    AtomicInteger transcribeCalls = new AtomicInteger();
    return new Path("worker-loss-rerun", "job-worker-loss",
        p -> p.cpuTranscribe.answers(r -> {
          if (transcribeCalls.incrementAndGet() == 1) {
            Thread.sleep(2_500);
          }
          return FakePipeline.outcome(r);
        }),
        Workers.CPU_ONE_ATTEMPT, JobRequest.builder(SOURCE_URI).engine(EngineMode.LOCAL).build(),
        (job, p) -> {
          assertThat(result(job).transcription().fallbacks()).isEmpty();
          assertThat(transcribeCalls).hasValue(2);
        });
  }

  /** Cancelled while the transcription heartbeats; the activity sees the cancellation. */
  private static Path cancelledMidTranscription(String history, String jobId, Consumer<VideoPipelineWorkflow> cancel) {
    CountDownLatch entered = new CountDownLatch(1);
    AtomicBoolean cancelled = new AtomicBoolean();
    return new Path(history, jobId,
        p -> p.cpuTranscribe.answers(r -> {
          FakePipeline.heartbeatUntilCancelled(entered, cancelled);
          return null;
        }),
        Workers.CPU, JobRequest.of(SOURCE_URI),
        (job, p) -> {
          entered.await();
          cancel.accept(job);
          failure(job);
          assertThat(cancelled).isTrue();
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void capture(Path path) throws Exception {
    path.script().accept(testEnv.pipeline());
    path.workers().start(testEnv);
    VideoPipelineWorkflow job = testEnv.startJob(path.jobId(), path.request());
    path.outcome().check(job, testEnv.pipeline());
    HistoryFiles.saveIfCapturing(path.history(), testEnv.history(path.jobId()));
  }

  /** One attempt per schedule, so a worker loss reaches the workflow at once. */
  static PipelineTimeouts oneAttemptPerSchedule() {
    PipelineTimeouts t = TIMEOUTS;
    return new PipelineTimeouts(t.download(), t.extractAudio(), t.route(), t.transcribe(), t.highlights(), t.render(),
        t.qa(), t.cost(), t.cleanup(), t.heartbeat(), t.gpuScheduleToStart(), t.initialRetryInterval(),
        t.maxRetryInterval(), t.maxAttempts(), 1);
  }
}

package io.videopipe.pipeline;

import static io.videopipe.pipeline.FakePipeline.AUDIO_SEC;
import static io.videopipe.pipeline.FakePipeline.only;
import static io.videopipe.pipeline.PipelineTestEnvironment.CPU;
import static io.videopipe.pipeline.PipelineTestEnvironment.GPU;
import static io.videopipe.pipeline.PipelineTestEnvironment.SOURCE_URI;
import static io.videopipe.pipeline.PipelineTestEnvironment.TIMEOUTS;
import static io.videopipe.pipeline.PipelineTestEnvironment.failure;
import static io.videopipe.pipeline.PipelineTestEnvironment.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.highlight.HighlightRequest;
import io.videopipe.pipeline.FakePipeline.Call;
import io.videopipe.refine.RefineRequest;
import io.videopipe.route.Engine;
import io.videopipe.route.EngineMode;
import io.videopipe.transcribe.TranscribeRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TRANSCRIBE and REFINE: engine fallback, dying workers, the budget and HYBRID's second pass. */
class EngineFallbackTest {
  @RegisterExtension final PipelineTestEnvironment testEnv = new PipelineTestEnvironment();
  private final FakePipeline pipeline = testEnv.pipeline();

  private static JobRequest withEngine(EngineMode mode) {
    return JobRequest.builder(SOURCE_URI).engine(mode).build();
  }

  /** One attempt per schedule, so every worker loss reaches the workflow at once; 1 s heartbeats. */
  private static PipelineTimeouts oneAttemptPerSchedule() {
    return HistoryCaptureTest.oneAttemptPerSchedule();
  }

  /** Transcribe stalls without heartbeats (as a killed worker does) for the first {@code losses} calls. */
  private AtomicInteger workerDiesDuringTranscription(int losses) {
    AtomicInteger transcribeCalls = new AtomicInteger();
    pipeline.cpuTranscribe.answers(r -> {
      if (transcribeCalls.incrementAndGet() <= losses) {
        Thread.sleep(2_500);
      }
      return FakePipeline.outcome(r);
    });
    return transcribeCalls;
  }

  @Test
  void workersDyingMidTranscriptionRunTheSameEngineAgainInsteadOfLosingTheJob() {
    AtomicInteger transcribeCalls = workerDiesDuringTranscription(TranscriptionStep.MAX_WORKER_LOSSES);
    testEnv.start(false, oneAttemptPerSchedule());

    JobResult result = result(testEnv.startJob("job-worker-died", withEngine(EngineMode.LOCAL)));

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(result.transcription().engine()).isEqualTo("local");
    assertThat(result.transcription().fallbacks()).isEmpty();
    assertThat(transcribeCalls).hasValue(TranscriptionStep.MAX_WORKER_LOSSES + 1);
    // the lost attempts used the machine all the same: they are priced
    assertThat(only(pipeline.cost).steps()).filteredOn(t -> t.step() == Step.TRANSCRIBE)
        .extracting(StepTiming::succeeded)
        .containsExactly(false, false, false, true);
  }

  @Test
  void workerLossesBeyondTheBoundCountAsTheEngineFailing() {
    workerDiesDuringTranscription(TranscriptionStep.MAX_WORKER_LOSSES + 1);
    testEnv.start(false, oneAttemptPerSchedule());

    WorkflowFailedException failed = failure(testEnv.startJob("job-worker-keeps-dying", withEngine(EngineMode.LOCAL)));

    JobResult partial = ((ApplicationFailure) failed.getCause()).getDetails().get(JobResult.class);
    assertThat(partial.error().message())
        .isEqualTo("no transcription engine succeeded: local: Transcribe timed out (heartbeat)");
  }

  @Test
  void gpuQueueWithoutWorkerFallsBackToLocalAfterScheduleToStartTimeout() {
    // The test server does not skip time while an activity is outstanding, so the timeout is shortened.
    testEnv.start(false, TIMEOUTS.withGpuScheduleToStart(Duration.ofSeconds(1)));

    JobResult result = result(testEnv.startJob("job-no-gpu", withEngine(EngineMode.PARAKEET)));

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(result.transcription().engine()).isEqualTo("local");
    assertThat(result.transcription().fallbacks())
        .containsExactly("parakeet: Transcribe timed out (schedule-to-start)");
    assertThat(result.transcription().plan()).startsWith("requested: parakeet (not available now: no GPU worker");
    assertThat(pipeline.gpuTranscribe.requests()).isEmpty();
    assertThat(pipeline.cpuTranscribe.requests()).containsExactly(new TranscribeRequest("job-no-gpu",
        "file:///store/jobs/job-no-gpu/audio/audio.wav", Engine.LOCAL, "en"));
    assertThat(pipeline.callsOf("Transcribe")).extracting(Call::queue).containsExactly(CPU);
    var steps = only(pipeline.cost).steps();
    assertThat(steps)
        .filteredOn(t -> t.step() == Step.TRANSCRIBE)
        .extracting(StepTiming::queue, StepTiming::engine, StepTiming::succeeded)
        .containsExactly(
            tuple(GPU, "parakeet", false),
            tuple(CPU, "local", true));
    // The GPU attempt waited out its schedule-to-start timeout on the workflow clock.
    assertThat(steps.get(3).wallSec()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void gpuEngineFailingNonRetryablyFallsBackToLocal() {
    pipeline.route.engines(true, false, true);
    pipeline.gpuTranscribe.answers(r -> {
      throw ApplicationFailure.newFailure("CUDA libraries not found", ErrorTypes.ENGINE_UNAVAILABLE);
    });
    testEnv.startWithGpuWorker();

    VideoPipelineWorkflow wf = testEnv.startJob("job-gpu-fails", JobRequest.of(SOURCE_URI));
    JobResult result = result(wf);

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(result.transcription().engine()).isEqualTo("local");
    assertThat(result.transcription().fallbacks()).containsExactly("parakeet: CUDA libraries not found");
    assertThat(pipeline.callsOf("Transcribe"))
        .extracting(Call::queue, Call::attempt)
        .containsExactly(tuple(GPU, 1), tuple(CPU, 1));
    assertThat(WorkflowStub.fromTyped(wf).describe().getTypedSearchAttributes().get(SearchAttributes.ENGINE))
        .isEqualTo("local");
  }

  @Test
  void deepgramRejectingTheAudioFallsBackToLocalAndPricesBothAttempts() {
    pipeline.route.engines(false, true, true);
    pipeline.cpuTranscribe.answers(r -> {
      if (r.engine() == Engine.DEEPGRAM) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Deepgram rejected the audio (HTTP 400: corrupt or unsupported data)", "DeepgramRejected");
      }
      return FakePipeline.outcome(r);
    });
    testEnv.start();

    VideoPipelineWorkflow wf = testEnv.startJob("job-dg-rejects", withEngine(EngineMode.DEEPGRAM));
    JobResult result = result(wf);

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(result.transcription().engine()).isEqualTo("local");
    assertThat(result.transcription().fallbacks())
        .containsExactly("deepgram: Deepgram rejected the audio (HTTP 400: corrupt or unsupported data)");
    assertThat(result.transcription().plan()).isEqualTo("requested: deepgram; est. $0.0215, 30 s; then local");
    // Non-retryable: one Deepgram attempt, then the next engine.
    assertThat(pipeline.callsOf("Transcribe"))
        .extracting(Call::queue, Call::attempt)
        .containsExactly(tuple(CPU, 1), tuple(CPU, 1));
    assertThat(only(pipeline.cost).steps())
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
    pipeline.route.engines(false, true, true);
    pipeline.cpuTranscribe.answers(r -> {
      if (r.engine() == Engine.DEEPGRAM) {
        throw ApplicationFailure.newFailureWithCauseAndDelay(
            "Deepgram unavailable after 4 request(s): HTTP 503: try later", "DeepgramUnavailable", null,
            Duration.ofMillis(200));
      }
      return FakePipeline.outcome(r);
    });
    testEnv.start();

    JobResult result = result(testEnv.startJob("job-dg-down", JobRequest.of(SOURCE_URI)));

    assertThat(result.transcription().plan()).startsWith("auto: deepgram (no GPU worker)");
    assertThat(result.transcription().engine()).isEqualTo("local");
    assertThat(result.transcription().fallbacks())
        .containsExactly("deepgram: Deepgram unavailable after 4 request(s): HTTP 503: try later");
    assertThat(pipeline.callsOf("Transcribe")).extracting(Call::attempt).containsExactly(1, 2, 3, 1);
    assertThat(only(pipeline.cost).steps())
        .filteredOn(t -> t.step() == Step.TRANSCRIBE)
        .extracting(StepTiming::engine, StepTiming::succeeded)
        .containsExactly(tuple("deepgram", false), tuple("local", true));
  }

  @Test
  void budgetKeepsAnEngineOverItOutOfThePlan() {
    pipeline.route.engines(false, true, true);
    testEnv.start();

    JobResult result =
        result(testEnv.startJob("job-budget", JobRequest.builder(SOURCE_URI).budgetUsd(0.01).build()));

    assertThat(result.transcription().engine()).isEqualTo("local");
    assertThat(result.transcription().fallbacks()).isEmpty();
    assertThat(result.transcription().plan()).contains("over the $0.0100 budget: deepgram $0.0215");
    assertThat(pipeline.cpuTranscribe.requests()).containsExactly(new TranscribeRequest("job-budget",
        "file:///store/jobs/job-budget/audio/audio.wav", Engine.LOCAL, "en"));
  }

  @Test
  void hybridTranscribesOnTheGpuThenRefinesTheLowConfidenceStretchesOnTheCpu() {
    pipeline.route.engines(true, true, true);
    testEnv.startWithGpuWorker();

    VideoPipelineWorkflow wf = testEnv.startJob("job-hybrid", withEngine(EngineMode.HYBRID));
    JobResult result = result(wf);

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(result.transcription().engine()).isEqualTo("parakeet+deepgram");
    assertThat(result.transcription().fallbacks()).isEmpty();
    assertThat(result.transcription().words()).isEqualTo(44);
    assertThat(result.transcription().text()).isEqualTo("hello from parakeet and deepgram");
    assertThat(result.transcription().plan())
        .startsWith("requested hybrid: parakeet, then its low-confidence stretches re-transcribed by deepgram");
    assertThat(pipeline.calls).extracting(Call::activity, Call::queue)
        .containsSubsequence(tuple("Transcribe", GPU), tuple("RefineLowConfidence", CPU), tuple("PickHighlights", CPU));
    assertThat(pipeline.callsOf("Transcribe")).hasSize(1);
    assertThat(pipeline.gpuTranscribe.requests()).containsExactly(new TranscribeRequest("job-hybrid",
        "file:///store/jobs/job-hybrid/audio/audio.wav", Engine.PARAKEET, "en"));
    assertThat(pipeline.refine.requests()).containsExactly(new RefineRequest("job-hybrid",
        "file:///store/jobs/job-hybrid/audio/audio.wav", "file:///store/jobs/job-hybrid/transcript/transcript.json",
        Engine.DEEPGRAM, "en"));
    assertThat(only(pipeline.cost).steps())
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
    pipeline.route.engines(true, true, true);
    pipeline.refine.answers(r -> {
      throw ApplicationFailure.newFailure(
          "Deepgram unavailable after 4 request(s): HTTP 503: try later", "DeepgramUnavailable");
    });
    testEnv.startWithGpuWorker();

    JobResult result = result(testEnv.startJob("job-hybrid-fails", withEngine(EngineMode.HYBRID)));

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(result.transcription().engine()).isEqualTo("parakeet");
    assertThat(result.transcription().text()).isEqualTo("hello from parakeet");
    assertThat(result.transcription().fallbacks()).containsExactly(
        "deepgram refinement: Deepgram unavailable after 4 request(s): HTTP 503: try later; kept the parakeet"
            + " transcript");
    assertThat(pipeline.callsOf("RefineLowConfidence"))
        .extracting(Call::queue, Call::attempt)
        .containsExactly(tuple(CPU, 1), tuple(CPU, 2), tuple(CPU, 3));
    // The transcript is kept: only the source copy is deleted, no compensation ran.
    assertThat(pipeline.deletedPrefixes()).containsExactly(JobPaths.SOURCE);
    assertThat(pipeline.highlights.requests()).containsExactly(new HighlightRequest("job-hybrid-fails",
        "file:///store/jobs/job-hybrid-fails/transcript/transcript.json",
        "file:///store/jobs/job-hybrid-fails/audio/audio.wav", JobRequest.of(SOURCE_URI).highlights()));
    assertThat(only(pipeline.cost).steps())
        .filteredOn(t -> t.step() == Step.REFINE)
        .extracting(StepTiming::engine, StepTiming::succeeded)
        .containsExactly(tuple("deepgram", false));
  }

  @Test
  void hybridWithoutDeepgramRunsParakeetAloneAndNeverRefines() {
    pipeline.route.engines(true, false, true);
    testEnv.startWithGpuWorker();

    JobResult result = result(testEnv.startJob("job-hybrid-nokey", withEngine(EngineMode.HYBRID)));

    assertThat(result.transcription().engine()).isEqualTo("parakeet");
    assertThat(result.transcription().plan())
        .startsWith("hybrid not possible (no Deepgram key), a single engine instead: auto: parakeet");
    assertThat(pipeline.refine.requests()).isEmpty();
  }

  @Test
  void everyEngineFailingFailsTheJobWithTheLastCause() {
    pipeline.route.engines(true, false, true);
    pipeline.gpuTranscribe.answers(r -> {
      throw ApplicationFailure.newFailure("CUDA libraries not found", ErrorTypes.ENGINE_UNAVAILABLE);
    });
    pipeline.cpuTranscribe.answers(r -> {
      throw ApplicationFailure.newFailure("vosk model missing", ErrorTypes.ENGINE_UNAVAILABLE);
    });
    testEnv.startWithGpuWorker();

    ApplicationFailure failure =
        (ApplicationFailure) failure(testEnv.startJob("job-no-engine", JobRequest.of(SOURCE_URI))).getCause();

    assertThat(failure.getType()).isEqualTo(ErrorTypes.ENGINE_UNAVAILABLE);
    assertThat(failure.getOriginalMessage())
        .isEqualTo("no transcription engine succeeded: parakeet: CUDA libraries not found; local: vosk model missing");
    JobResult partial = failure.getDetails().get(JobResult.class);
    assertThat(partial.transcription().engine()).isNull();
    assertThat(partial.transcription().fallbacks()).hasSize(2);
    assertThat(pipeline.deletedPrefixes()).containsExactly(JobPaths.TRANSCRIPT, JobPaths.AUDIO, JobPaths.SOURCE);
  }
}

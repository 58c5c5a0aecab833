package io.videopipe.pipeline;

import static io.videopipe.pipeline.PipelineTestEnvironment.SOURCE_URI;
import static io.videopipe.pipeline.PipelineTestEnvironment.awaitTrue;
import static io.videopipe.pipeline.PipelineTestEnvironment.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.videopipe.pipeline.FakePipeline.Gate;
import io.videopipe.qa.QaReport;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A job that fails or is cancelled stops its running step and deletes what its steps wrote, newest first. */
class CancellationAndCompensationTest {
  @RegisterExtension final PipelineTestEnvironment testEnv = new PipelineTestEnvironment();
  private final FakePipeline pipeline = testEnv.pipeline();

  /** Starts a job whose transcription heartbeats until it is cancelled; returns once the transcription runs. */
  private VideoPipelineWorkflow startJobBlockedInTranscription(String jobId, AtomicBoolean activityCancelled)
      throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(1);
    pipeline.cpuTranscribe.answers(r -> {
      FakePipeline.heartbeatUntilCancelled(entered, activityCancelled);
      return null;
    });
    testEnv.start();
    VideoPipelineWorkflow wf = testEnv.startJob(jobId, JobRequest.of(SOURCE_URI));
    assertThat(entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return wf;
  }

  @Test
  void nonRetryableFailureFailsFastAndCompensates() {
    pipeline.audio.answers(r -> {
      // Retryable by itself: only the workflow's doNotRetry list makes it final.
      throw ApplicationFailure.newFailure("Invalid data found when processing input", ErrorTypes.UNSUPPORTED_MEDIA);
    });
    testEnv.start();
    VideoPipelineWorkflow wf = testEnv.startJob("job-bad-media", JobRequest.of(SOURCE_URI));

    WorkflowFailedException failed = failure(wf);

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

    assertThat(pipeline.callsOf("ExtractAudio")).hasSize(1);
    assertThat(pipeline.deletedPrefixes()).containsExactly(JobPaths.AUDIO, JobPaths.SOURCE);
    assertThat(pipeline.route.requests()).isEmpty();
    WorkflowExecutionDescription description = WorkflowStub.fromTyped(wf).describe();
    assertThat(description.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED);
    assertThat(description.getTypedSearchAttributes().get(SearchAttributes.STATUS)).isEqualTo("FAILED");
    assertThat(description.getTypedSearchAttributes().get(SearchAttributes.STEP)).isEqualTo("EXTRACT_AUDIO");
    assertThat(wf.progress().status()).isEqualTo(JobStatus.FAILED);
  }

  @Test
  void aFailureAfterRenderingDeletesTheClipsToo() {
    pipeline.cost.answers(r -> {
      throw ApplicationFailure.newNonRetryableFailure("ledger broken", ErrorTypes.INVALID_REQUEST);
    });
    testEnv.start();

    failure(testEnv.startJob("job-cost-fails", JobRequest.of(SOURCE_URI)));

    assertThat(pipeline.deletedPrefixes())
        .containsExactly(
            JobPaths.COST, JobPaths.QA, JobPaths.CLIPS, JobPaths.HIGHLIGHTS, JobPaths.TRANSCRIPT, JobPaths.AUDIO,
            JobPaths.SOURCE);
  }

  @Test
  void cancelSignalStopsTheRunningStepAndCompensates() throws Exception {
    AtomicBoolean activityCancelled = new AtomicBoolean();
    VideoPipelineWorkflow wf = startJobBlockedInTranscription("job-cancel", activityCancelled);

    wf.cancel("user changed their mind");
    WorkflowFailedException failed = failure(wf);

    assertThat(activityCancelled).isTrue();
    // Reverse order of registration, starting with the step that was running.
    assertThat(pipeline.deletedPrefixes()).containsExactly(JobPaths.TRANSCRIPT, JobPaths.AUDIO, JobPaths.SOURCE);
    assertThat(pipeline.highlights.requests()).isEmpty();
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
    // A workflow cannot close itself as CANCELED; only a Temporal cancel request does (see the next test).
    assertThat(description.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED);
    assertThat(description.getTypedSearchAttributes().get(SearchAttributes.STATUS)).isEqualTo("CANCELLED");
    assertThat(wf.progress().status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(wf.progress().detail()).isEqualTo("cancelled: user changed their mind");
  }

  @Test
  void temporalCancellationRunsEveryCompensationAndEndsCanceled() throws Exception {
    AtomicBoolean activityCancelled = new AtomicBoolean();
    VideoPipelineWorkflow wf = startJobBlockedInTranscription("job-native-cancel", activityCancelled);

    WorkflowStub.fromTyped(wf).cancel("operator stop");
    WorkflowFailedException failed = failure(wf);

    assertThat(activityCancelled).isTrue();
    assertThat(pipeline.deletedPrefixes()).containsExactly(JobPaths.TRANSCRIPT, JobPaths.AUDIO, JobPaths.SOURCE);
    assertThat(pipeline.highlights.requests()).isEmpty();
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
  void cancelDuringAShortStepLetsItFinishThenRunsEveryCompensation() throws Exception {
    Gate gate = new Gate();
    pipeline.qa.answers(r -> {
      // The fake does not heartbeat, so it does not hear the cancellation and runs to its end.
      gate.passSilently();
      return new QaReport(true, List.of(), "file:///store/jobs/job-cancel-qa/qa/qa.json", 0.1);
    });
    testEnv.start();
    VideoPipelineWorkflow wf = testEnv.startJob("job-cancel-qa", JobRequest.of(SOURCE_URI));
    gate.awaitEntered();

    wf.cancel("too late?");
    awaitTrue(() -> wf.progress().detail().startsWith("cancelling"));
    gate.open();
    WorkflowFailedException failed = failure(wf);

    // COST's compensation is registered before its step is attempted, so it runs too (deleting is idempotent).
    assertThat(pipeline.deletedPrefixes())
        .containsExactly(JobPaths.COST, JobPaths.QA, JobPaths.CLIPS, JobPaths.HIGHLIGHTS, JobPaths.TRANSCRIPT,
            JobPaths.AUDIO, JobPaths.SOURCE);
    assertThat(pipeline.cost.requests()).isEmpty();
    assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
    JobResult partial = ((CanceledFailure) failed.getCause()).getDetails().get(JobResult.class);
    assertThat(partial.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(partial.transcription().engine()).isEqualTo("local");
    assertThat(partial.highlights()).hasSize(1);
  }
}

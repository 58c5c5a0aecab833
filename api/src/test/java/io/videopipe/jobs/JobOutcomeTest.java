package io.videopipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.pipeline.JobResult;
import io.videopipe.pipeline.JobStatus;
import org.junit.jupiter.api.Test;

/** What a closed job's outcome reads as, from the SDK's exception for its result. */
class JobOutcomeTest {
  private static final WorkflowExecution EXECUTION = WorkflowExecution.newBuilder().setWorkflowId("job-1").build();

  @Test
  void theJobsOwnFailureIsAFailedJobNamingItsCause() {
    ApplicationFailure cause = ApplicationFailure.newNonRetryableFailure("no video stream", "UnsupportedMedia");
    JobResult result = JobService.outcomeOfFailure("job-1", new WorkflowFailedException(
        EXECUTION, "VideoPipeline", EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, 0,
        RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE, cause));

    assertThat(result.status()).isEqualTo(JobStatus.FAILED);
    assertThat(result.error().type()).isEqualTo("UnsupportedMedia");
    assertThat(result.error().message()).contains("no video stream");
  }

  @Test
  void aServerThatCannotGiveTheOutcomeIsNotAFailedJob() {
    // Reading a COMPLETED job's result while the frontend restarts: the caller must hear "unavailable" (503), not
    // that the job failed.
    WorkflowServiceException unavailable = new WorkflowServiceException(
        EXECUTION, "VideoPipeline", new StatusRuntimeException(Status.UNAVAILABLE.withDescription("connection refused")));

    assertThatThrownBy(() -> JobService.outcomeOfFailure("job-1", unavailable)).isSameAs(unavailable);
    assertThat(ApiErrors.unavailable(unavailable)).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void aConnectionTornDownMidCallIsUnavailableButOtherUnknownsAreNot() {
    // what grpc-netty gives when the server is killed while a call is written (TemporalUnavailableTest saw it once)
    StatusRuntimeException torn = Status.UNKNOWN.withDescription("channel closed")
        .withCause(new java.nio.channels.ClosedChannelException()).asRuntimeException();
    assertThat(ApiErrors.unavailable(torn)).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(ApiErrors.unavailable(new WorkflowServiceException(EXECUTION, "VideoPipeline", torn)))
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(ApiErrors.unavailable(Status.UNKNOWN.withDescription("a bug").asRuntimeException())).isNull();
    assertThat(ApiErrors.unavailable(Status.INVALID_ARGUMENT.asRuntimeException())).isNull();
  }

  @Test
  void aJobTheServerDoesNotKnowIsNotFound() {
    WorkflowNotFoundException missing = new WorkflowNotFoundException(EXECUTION, "VideoPipeline", null);

    assertThatThrownBy(() -> JobService.outcomeOfFailure("job-1", missing)).isInstanceOf(JobNotFoundException.class);
  }
}

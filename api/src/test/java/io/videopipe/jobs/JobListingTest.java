package io.videopipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.common.converter.DefaultDataConverter;
import io.videopipe.pipeline.JobStatus;
import io.videopipe.testing.FakeWorkflowService;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The job listing where a real server cannot be made to answer as needed: the embedded server's missing visibility
 * (degraded listing), server errors, an execution terminated from outside. Filters and paging on a real server:
 * {@code io.videopipe.realserver.JobListingRealServerTest}.
 */
class JobListingTest {
  static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
  static final WorkflowExecutionStatus RUNNING = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  static final WorkflowExecutionStatus COMPLETED = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED;

  final List<ListWorkflowExecutionsRequest> requests = new CopyOnWriteArrayList<>();
  final Map<String, WorkflowExecutionInfo> executions = new ConcurrentHashMap<>();
  volatile Status listFailure;
  volatile ListWorkflowExecutionsResponse page = ListWorkflowExecutionsResponse.getDefaultInstance();
  FakeWorkflowService temporal;
  JobListing listing;

  @BeforeEach
  void start() throws Exception {
    temporal =
        FakeWorkflowService.start(
            new WorkflowServiceGrpc.WorkflowServiceImplBase() {
              @Override
              public void listWorkflowExecutions(
                  ListWorkflowExecutionsRequest request,
                  StreamObserver<ListWorkflowExecutionsResponse> response) {
                requests.add(request);
                if (listFailure != null) {
                  response.onError(listFailure.asRuntimeException());
                  return;
                }
                response.onNext(page);
                response.onCompleted();
              }

              @Override
              public void describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest request,
                  StreamObserver<DescribeWorkflowExecutionResponse> response) {
                WorkflowExecutionInfo info = executions.get(request.getExecution().getWorkflowId());
                if (info == null) {
                  response.onError(Status.NOT_FOUND.asRuntimeException());
                  return;
                }
                response.onNext(DescribeWorkflowExecutionResponse.newBuilder().setWorkflowExecutionInfo(info).build());
                response.onCompleted();
              }
            });
    listing = new JobListing(temporal::blockingStub, "prod", null);
  }

  @AfterEach
  void stop() {
    temporal.close();
  }

  static WorkflowExecutionInfo execution(
      String id, WorkflowExecutionStatus status, Instant started, Map<String, Object> attributes) {
    SearchAttributes.Builder sa = SearchAttributes.newBuilder();
    attributes.forEach((k, v) -> sa.putIndexedFields(k, DefaultDataConverter.STANDARD_INSTANCE.toPayload(v).get()));
    WorkflowExecutionInfo.Builder info =
        WorkflowExecutionInfo.newBuilder()
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id).setRunId("run-" + id))
            .setStatus(status)
            .setStartTime(Timestamp.newBuilder().setSeconds(started.getEpochSecond()))
            .setSearchAttributes(sa);
    if (status != RUNNING) {
      info.setCloseTime(Timestamp.newBuilder().setSeconds(started.getEpochSecond() + 60));
    }
    return info.build();
  }

  @Test
  void noFiltersListEveryPipelineAndTheLastPageHasNoToken() {
    page =
        ListWorkflowExecutionsResponse.newBuilder()
            .addExecutions(
                execution(
                    "killed",
                    WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED,
                    T0,
                    Map.of("VpStatus", "RUNNING")))
            .build();

    JobPage result = listing.list(JobFilter.of(null, null, null, null, null, null));

    assertThat(requests.get(0).getQuery()).isEqualTo("WorkflowType = 'VideoPipeline'");
    assertThat(requests.get(0).getPageSize()).isEqualTo(JobFilter.DEFAULT_PAGE_SIZE);
    assertThat(result.nextPageToken()).isNull();
    // Terminated from outside: the workflow never reported its end, the execution status tells.
    assertThat(result.jobs()).extracting(JobSummary::status).containsExactly(JobStatus.FAILED);
  }

  @Test
  void withoutVisibilityTheListingIsDegradedToRecentJobsFilteredHere() {
    listFailure = Status.UNIMPLEMENTED.withDescription("method ListWorkflowExecutions is unimplemented");
    Map<String, Object> completedLocal = Map.of("VpStatus", "COMPLETED", "VpEngine", "local");
    executions.put("old", execution("old", COMPLETED, T0, completedLocal));
    executions.put("running", execution("running", RUNNING, T0.plusSeconds(10), Map.of("VpStatus", "RUNNING")));
    executions.put("new", execution("new", COMPLETED, T0.plusSeconds(20), completedLocal));
    listing.started("old");
    listing.started("running");
    listing.started("gone");
    listing.started("new");

    JobPage all = listing.list(JobFilter.of(null, null, null, null, null, null));
    assertThat(all.degraded()).isTrue();
    assertThat(all.reason()).contains("embedded Temporal test server has no visibility queries");
    assertThat(all.nextPageToken()).isNull();
    assertThat(all.jobs()).extracting(JobSummary::jobId).containsExactly("new", "running", "old");

    JobPage completed = listing.list(JobFilter.of("COMPLETED", "local", null, null, 1, null));
    assertThat(completed.jobs()).extracting(JobSummary::jobId).containsExactly("new");

    JobPage early = listing.list(JobFilter.of(null, null, null, T0.plusSeconds(15).toString(), null, null));
    assertThat(early.jobs()).extracting(JobSummary::jobId).containsExactly("running", "old");
  }

  @Test
  void otherServerErrorsAreNotHidden() {
    listFailure = Status.UNAVAILABLE.withDescription("connection refused");

    assertThatThrownBy(() -> listing.list(JobFilter.of(null, null, null, null, null, null)))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("UNAVAILABLE");
  }

  @Test
  void invalidFiltersAreRefusedWithTheReason() {
    assertThatThrownBy(() -> JobFilter.of("done", null, null, null, null, null))
        .hasMessageContaining("unknown status 'done'");
    assertThatThrownBy(() -> JobFilter.of(null, "x' OR 1=1", null, null, null, null))
        .hasMessageContaining("is not an engine name");
    assertThatThrownBy(() -> JobFilter.of(null, null, "yesterday", null, null, null))
        .hasMessageContaining("from 'yesterday' is neither an instant");
    assertThatThrownBy(() -> JobFilter.of(null, null, "2026-11-24", "2026-11-23", null, null))
        .hasMessageContaining("must be before to");
    assertThatThrownBy(() -> JobFilter.of(null, null, null, null, 0, null)).hasMessageContaining("pageSize must be 1 to 100");
    assertThatThrownBy(() -> JobFilter.of(null, null, null, null, 101, null)).hasMessageContaining("was 101");
    assertThatThrownBy(() -> JobFilter.of(null, null, null, null, null, "%%%"))
        .hasMessageContaining("nextPageToken is not one this API handed out");
  }
}

package io.videopipe.jobs;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DefaultDataConverter;
import io.videopipe.pipeline.JobStatus;
import io.videopipe.pipeline.SearchAttributes;
import io.videopipe.pipeline.VideoPipelineOptions;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Lists jobs through Temporal visibility ({@code ListWorkflowExecutions}). The embedded test server does not implement
 * it; there the listing is degraded: the last {@link #RECENT_LIMIT} jobs this process started, described one by one
 * and filtered here, marked {@code degraded} with the reason.
 */
@Component
@Profile({"local", "api"})
public class JobListing {
  static final int RECENT_LIMIT = 500;
  static final String DEGRADED_REASON =
      "the embedded Temporal test server has no visibility queries (ListWorkflowExecutions), so this lists only the"
          + " last "
          + RECENT_LIMIT
          + " jobs this API process started, filtered here and without paging; run against a real Temporal"
          + " server for the full listing";

  private final Supplier<WorkflowServiceBlockingStub> stub;
  private final String namespace;
  /** For the children of bulk runs: the query goes through the client's converter (encrypted with the codec on). */
  private final WorkflowClient client;
  private final Deque<String> recent = new ArrayDeque<>();
  /** The bulk runs among {@link #recent}: the degraded listing shows their children in their place. */
  private final java.util.Set<String> bulkRuns = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @Autowired
  public JobListing(WorkflowClient client) {
    this(() -> client.getWorkflowServiceStubs().blockingStub(), client.getOptions().getNamespace(), client);
  }

  JobListing(Supplier<WorkflowServiceBlockingStub> stub, String namespace, WorkflowClient client) {
    this.stub = stub;
    this.namespace = namespace;
    this.client = client;
  }

  /** Remembers a job this process started, for the degraded listing. */
  public void started(String jobId) {
    synchronized (recent) {
      recent.remove(jobId);
      recent.addFirst(jobId);
      while (recent.size() > RECENT_LIMIT) {
        recent.removeLast();
      }
    }
  }

  /**
   * Remembers a bulk run this process started, for the degraded listing: its children (the last ones the run
   * started, from its {@code recentChildren} query) are listed where the run would be.
   */
  public void startedBulk(String bulkId) {
    bulkRuns.add(bulkId);
    started(bulkId);
    synchronized (recent) {
      bulkRuns.retainAll(recent);
    }
  }

  /** One page of jobs matching the filter in the server's order: running jobs first, then the latest closed. */
  public JobPage list(JobFilter filter) {
    String query = filter.visibilityQuery();
    ListWorkflowExecutionsResponse response;
    try {
      response =
          stub.get()
              .listWorkflowExecutions(
                  ListWorkflowExecutionsRequest.newBuilder()
                      .setNamespace(namespace)
                      .setQuery(query)
                      .setPageSize(filter.pageSize())
                      .setNextPageToken(filter.pageToken())
                      .build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return degraded(filter, query);
      }
      throw e;
    }
    List<JobSummary> jobs =
        response.getExecutionsList().stream().map(JobListing::summary).filter(filter::ownedByTenant).toList();
    String next =
        response.getNextPageToken().isEmpty()
            ? null
            : Base64.getUrlEncoder().withoutPadding().encodeToString(response.getNextPageToken().toByteArray());
    return new JobPage(jobs, next, query, null, null);
  }

  private JobPage degraded(JobFilter filter, String query) {
    List<String> ids;
    synchronized (recent) {
      ids = List.copyOf(recent);
    }
    List<JobSummary> jobs = new ArrayList<>();
    List<String> expanded = new ArrayList<>();
    for (String id : ids) {
      if (bulkRuns.contains(id)) {
        List<String> children = bulkChildren(id);
        for (int i = children.size() - 1; i >= 0; i--) {
          expanded.add(children.get(i)); // newest first, as the listing is
        }
      } else {
        expanded.add(id);
      }
    }
    for (String id : expanded) {
      if (jobs.size() == filter.pageSize()) {
        break;
      }
      JobSummary job = describe(id);
      if (job != null && filter.matches(job)) {
        jobs.add(job);
      }
    }
    return new JobPage(jobs, null, query, true, DEGRADED_REASON);
  }

  private List<String> bulkChildren(String bulkId) {
    if (client == null) {
      return List.of();
    }
    try {
      return client.newUntypedWorkflowStub(bulkId).query("recentChildren", List.class).stream()
          .map(String::valueOf)
          .toList();
    } catch (RuntimeException e) {
      return List.of(); // gone, or a run from before the query existed
    }
  }

  private JobSummary describe(String jobId) {
    try {
      return summary(
          stub.get()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(namespace)
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(jobId))
                      .build())
              .getWorkflowExecutionInfo());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  static JobSummary summary(WorkflowExecutionInfo info) {
    Map<String, Payload> attributes = info.getSearchAttributes().getIndexedFieldsMap();
    boolean running = info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    String reported = attribute(attributes, "VpStatus", String.class);
    JobStatus status;
    if (reported != null
        && (running || !JobStatus.RUNNING.name().equals(reported))
        && Arrays.stream(JobStatus.values()).anyMatch(s -> s.name().equals(reported))) {
      status = JobStatus.valueOf(reported);
    } else {
      status = fromExecution(info.getStatus());
    }
    return new JobSummary(
        info.getExecution().getWorkflowId(),
        status,
        attribute(attributes, "VpStep", String.class),
        attribute(attributes, "VpEngine", String.class),
        attribute(attributes, "VpPriority", Long.class),
        attribute(attributes, "VpCostUsd", Double.class),
        info.hasStartTime() ? instant(info.getStartTime()) : null,
        info.hasCloseTime() ? instant(info.getCloseTime()) : null,
        attribute(attributes, SearchAttributes.TENANT.getName(), String.class),
        attribute(info.getMemo().getFieldsMap(), VideoPipelineOptions.MEMO_SOURCE, String.class));
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static JobStatus fromExecution(WorkflowExecutionStatus status) {
    return switch (status) {
      case WORKFLOW_EXECUTION_STATUS_RUNNING, WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW -> JobStatus.RUNNING;
      case WORKFLOW_EXECUTION_STATUS_COMPLETED -> JobStatus.COMPLETED;
      case WORKFLOW_EXECUTION_STATUS_CANCELED -> JobStatus.CANCELLED;
      default -> JobStatus.FAILED;
    };
  }

  private static <T> T attribute(Map<String, Payload> attributes, String name, Class<T> type) {
    Payload p = attributes.get(name);
    if (p == null) {
      return null;
    }
    try {
      return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(p, type, type);
    } catch (RuntimeException e) {
      return null;
    }
  }
}

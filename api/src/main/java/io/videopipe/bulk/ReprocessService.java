package io.videopipe.bulk;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.videopipe.config.VideoPipeProperties;
import io.videopipe.pipeline.TaskQueues;
import io.temporal.client.WorkflowExecutionDescription;
import io.videopipe.pipeline.SearchAttributes;
import io.videopipe.pipeline.VideoPipelineOptions;
import io.videopipe.security.Caller;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Service;

/** Starts, queries and cancels bulk reprocessing workflows. */
@Service
@Profile({"local", "api"})
public class ReprocessService {
  static final String ID_PREFIX = "bulk-";

  private final WorkflowClient client;
  private final TaskQueues queues;

  @Autowired
  public ReprocessService(WorkflowClient client, VideoPipeProperties props) {
    this(client, new TaskQueues(props.queues().cpu(), props.queues().gpu()));
  }

  public ReprocessService(WorkflowClient client, TaskQueues queues) {
    this.client = client;
    this.queues = queues;
  }

  public TaskQueues queues() {
    return queues;
  }

  /** Options of a bulk workflow; {@code cron} may be null; {@code tenant} (may be null) owns the run. */
  public WorkflowOptions options(String id, String cron, String tenant) {
    WorkflowOptions.Builder b =
        WorkflowOptions.newBuilder()
            .setWorkflowId(id)
            .setTaskQueue(queues.cpu())
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE);
    if (tenant != null) {
      b.setMemo(Map.of(VideoPipelineOptions.MEMO_TENANT, tenant))
          .setTypedSearchAttributes(
              io.temporal.common.SearchAttributes.newBuilder().set(SearchAttributes.TENANT, tenant).build());
    }
    if (cron != null) {
      b.setCronSchedule(cron);
    }
    return b.build();
  }

  public BulkRequest withQueues(BulkRequest r) {
    return new BulkRequest(r.selection(), r.concurrency(), r.engine(), r.priority(), r.language(), r.webhookUrl(),
        r.requestedBy(), queues(), r.pageSize(), r.childrenPerRun(), r.state(), r.tenant());
  }

  public String start(BulkRequest request) {
    String id = ID_PREFIX + UUID.randomUUID();
    BulkReprocessWorkflow wf = client.newWorkflowStub(BulkReprocessWorkflow.class, options(id, null, request.tenant()));
    WorkflowClient.start(wf::run, withQueues(request));
    return id;
  }

  /**
   * Progress by query, or the final result once the run has closed.
   *
   * @throws BulkNotFoundException when there is no such run, or another tenant owns it (caller null: no check)
   */
  public BulkView view(String id, Caller caller) {
    WorkflowStub stub = client.newUntypedWorkflowStub(id);
    WorkflowExecutionStatus status;
    try {
      WorkflowExecutionDescription d = stub.describe();
      if (caller != null && !caller.mayAccess(tenant(d))) {
        throw new BulkNotFoundException(id);
      }
      status = d.getStatus();
    } catch (WorkflowNotFoundException e) {
      throw new BulkNotFoundException(id);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND || e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
        throw new BulkNotFoundException(id);
      }
      throw e;
    }
    BulkProgress progress;
    try {
      progress = stub.query("progress", BulkProgress.class);
    } catch (RuntimeException e) {
      progress = null;
    }
    return new BulkView(id, status.name().replace("WORKFLOW_EXECUTION_STATUS_", ""), progress);
  }

  private static String tenant(WorkflowExecutionDescription d) {
    String t = d.getTypedSearchAttributes().get(SearchAttributes.TENANT);
    if (t == null) {
      Object memo = d.getMemo(VideoPipelineOptions.MEMO_TENANT, String.class);
      t = memo instanceof String s ? s : null;
    }
    return t;
  }

  public void cancel(String id, Caller caller) {
    view(id, caller);
    client.newUntypedWorkflowStub(id).cancel("bulk reprocessing cancelled through the API");
  }

  /** A bulk run: the Temporal execution status and the workflow's own progress (null when it cannot answer). */
  public record BulkView(String id, String execution, BulkProgress progress) {}
}

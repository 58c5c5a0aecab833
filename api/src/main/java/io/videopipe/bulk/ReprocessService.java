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

  /** Options of a bulk workflow; {@code cron} may be null. */
  public WorkflowOptions options(String id, String cron) {
    WorkflowOptions.Builder b =
        WorkflowOptions.newBuilder()
            .setWorkflowId(id)
            .setTaskQueue(queues.cpu())
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE);
    if (cron != null) {
      b.setCronSchedule(cron);
    }
    return b.build();
  }

  public BulkRequest withQueues(BulkRequest r) {
    return new BulkRequest(r.selection(), r.concurrency(), r.engine(), r.priority(), r.language(), r.webhookUrl(),
        r.requestedBy(), queues(), r.pageSize(), r.childrenPerRun(), r.state());
  }

  public String start(BulkRequest request) {
    String id = ID_PREFIX + UUID.randomUUID();
    BulkReprocessWorkflow wf = client.newWorkflowStub(BulkReprocessWorkflow.class, options(id, null));
    WorkflowClient.start(wf::run, withQueues(request));
    return id;
  }

  /** Progress by query, or the final result once the run has closed. */
  public BulkView view(String id) {
    WorkflowStub stub = client.newUntypedWorkflowStub(id);
    WorkflowExecutionStatus status;
    try {
      status = stub.describe().getStatus();
    } catch (WorkflowNotFoundException e) {
      throw new BulkNotFoundException(id);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
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

  public void cancel(String id) {
    view(id);
    client.newUntypedWorkflowStub(id).cancel("bulk reprocessing cancelled through the API");
  }

  /** A bulk run: the Temporal execution status and the workflow's own progress (null when it cannot answer). */
  public record BulkView(String id, String execution, BulkProgress progress) {}
}

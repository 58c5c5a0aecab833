package io.videopipe.jobs;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.videopipe.pipeline.SearchAttributes;
import io.videopipe.pipeline.VideoPipelineOptions;
import io.videopipe.security.Caller;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Which tenant owns a job, and the one rule every job endpoint applies: a key sees and controls only its tenant's jobs
 * (admin keys all); another tenant's job is answered exactly as a job that does not exist (404), so ids reveal nothing.
 */
@Component
@Profile({"local", "api"})
public class JobTenancy {
  private final WorkflowClient client;

  public JobTenancy(WorkflowClient client) {
    this.client = client;
  }

  /**
   * Returns when {@code caller} may see and control the job.
   *
   * @throws JobNotFoundException when there is no such job, or another tenant owns it
   */
  public void require(String jobId, Caller caller) {
    if (!io.videopipe.pipeline.JobIds.isValid(jobId)) {
      throw new JobNotFoundException(jobId); // no job can have that id: no need to ask Temporal, whoever asks
    }
    if (caller == null || caller.admin()) {
      return; // no key filter in front (the process command) or an admin key: the services answer 404 themselves
    }
    if (!caller.mayAccess(owner(jobId))) {
      throw new JobNotFoundException(jobId);
    }
  }

  /** The job's tenant (search attribute VpTenant, else the memo), null for a job from before tenants. */
  String owner(String jobId) {
    WorkflowExecutionInfo info;
    try {
      info =
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(client.getOptions().getNamespace())
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(jobId))
                      .build())
              .getWorkflowExecutionInfo();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND || e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
        throw new JobNotFoundException(jobId);
      }
      throw e;
    }
    return tenantOf(info, client);
  }

  /** The tenant recorded on an execution: the search attribute where the server keeps it, else the memo. */
  static String tenantOf(WorkflowExecutionInfo info, WorkflowClient client) {
    Payload attribute = info.getSearchAttributes().getIndexedFieldsMap().get(SearchAttributes.TENANT.getName());
    if (attribute != null) {
      try {
        return io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
            attribute, String.class, String.class);
      } catch (RuntimeException e) {
        // fall through to the memo
      }
    }
    Payload memo = info.getMemo().getFieldsMap().get(VideoPipelineOptions.MEMO_TENANT);
    if (memo != null && client != null) {
      // The memo goes through the data converter (and the codec, when it is on).
      return client.getOptions().getDataConverter().fromPayload(memo, String.class, String.class);
    }
    return null;
  }
}

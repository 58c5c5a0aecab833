package io.videopipe.pipeline;

import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.Priority;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link WorkflowOptions} every client must use to start a {@link VideoPipelineWorkflow}, so that a job id is
 * unique, the Web UI shows the job before its first step, and the job's priority applies from the start.
 */
public final class VideoPipelineOptions {
  public static final String MEMO_SOURCE = "source";
  public static final String MEMO_REQUESTED_BY = "requestedBy";
  /** Memo key the workflow sets once it has chosen an engine: the route plan's one-line reason. */
  public static final String MEMO_ROUTE = "route";
  /** Memo key: the tenant that owns the job, also search attribute {@code VpTenant}. */
  public static final String MEMO_TENANT = "tenant";

  private VideoPipelineOptions() {}

  /**
   * Options for one job:
   *
   * <ul>
   *   <li>workflow id = {@code jobId}; id reuse policy REJECT_DUPLICATE and conflict policy FAIL, so a second start
   *       with the same id throws {@code WorkflowExecutionAlreadyStarted}, whether the first run is open or closed;
   *   <li>task queue = {@code request.queues().cpu()}, where the workflow worker polls;
   *   <li>memo: {@value #MEMO_SOURCE} and {@value #MEMO_REQUESTED_BY} (when set) plus {@code extraMemo};
   *   <li>search attributes STATUS=RUNNING, STEP=QUEUED, PRIORITY, TENANT when the request has one (registered on the server beforehand, see {@link
   *       SearchAttributes#definitions()});
   *   <li>priority key = {@code request.priority()}.
   * </ul>
   *
   * @param extraMemo more memo entries, may be null; values must be serialisable by the data converter
   */
  public static WorkflowOptions forJob(String jobId, JobRequest request, Map<String, ?> extraMemo) {
    if (jobId == null || jobId.isBlank()) {
      throw new IllegalArgumentException("jobId is required");
    }
    Map<String, Object> memo = new LinkedHashMap<>();
    if (extraMemo != null) {
      memo.putAll(extraMemo);
    }
    memo.put(MEMO_SOURCE, request.sourceDisplay());
    if (request.requestedBy() != null) {
      memo.put(MEMO_REQUESTED_BY, request.requestedBy());
    }
    if (request.tenant() != null) {
      memo.put(MEMO_TENANT, request.tenant());
    }
    io.temporal.common.SearchAttributes.Builder attributes =
        io.temporal.common.SearchAttributes.newBuilder()
            .set(SearchAttributes.STATUS, JobStatus.RUNNING.name())
            .set(SearchAttributes.STEP, Step.QUEUED.name())
            .set(SearchAttributes.PRIORITY, (long) request.priority());
    if (request.tenant() != null) {
      attributes.set(SearchAttributes.TENANT, request.tenant());
    }
    return WorkflowOptions.newBuilder()
        .setWorkflowId(jobId)
        .setTaskQueue(request.queues().cpu())
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
        .setMemo(memo)
        .setTypedSearchAttributes(attributes.build())
        .setPriority(Priority.newBuilder().setPriorityKey(request.priority()).build())
        .build();
  }
}

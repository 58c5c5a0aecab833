package io.videopipe.bulk;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Reprocesses many videos: selects sources a page at a time and runs one child {@code VideoPipeline} job per source,
 * at most {@code concurrency} at once. A child's id is the bulk id plus a hash of its source, so a replayed or repeated
 * start never runs a source twice. Cancelling the bulk workflow cancels its running children.
 */
@WorkflowInterface
public interface BulkReprocessWorkflow {
  String TYPE = "BulkReprocess";

  @WorkflowMethod(name = TYPE)
  BulkProgress run(BulkRequest request);

  @QueryMethod
  BulkProgress progress();

  /**
   * The ids of the last children started (newest last, at most 100, across continue-as-new). The status of a run lists
   * its children through visibility ({@code ParentWorkflowId}) where the server has it; this is the fallback.
   */
  @QueryMethod
  java.util.List<String> recentChildren();
}

package io.videopipe.pipeline;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import io.videopipe.cleanup.CleanupActivities;
import java.util.List;
import org.slf4j.Logger;

/** Deletes a job's artifacts by step prefix ({@link JobPaths}): the saga's compensations and the source copy. */
final class JobCleanup {
  private static final Logger log = Workflow.getLogger(JobCleanup.class);

  private final String jobId;
  private final StepPolicies policies;
  private final JobLedger ledger;
  private final JobCancellation cancellation;

  JobCleanup(String jobId, StepPolicies policies, JobLedger ledger, JobCancellation cancellation) {
    this.jobId = jobId;
    this.policies = policies;
    this.ledger = ledger;
    this.cancellation = cancellation;
  }

  /** A compensation: deletes everything under {@code jobs/<jobId>/<prefix>}. */
  void deleteArtifacts(String prefix) {
    Workflow.newActivityStub(
            CleanupActivities.class, policies.options(policies.cleanup(), ledger.priority(), ledger.detail()))
        .deleteArtifacts(jobId, List.of(prefix));
  }

  /** After a successful run: the job's results are complete, a leftover source copy is not worth failing it for. */
  void deleteSourceCopy() {
    ledger.detail("deleting the downloaded source");
    try {
      deleteArtifacts(JobPaths.SOURCE);
    } catch (ActivityFailure e) {
      if (cancellation.isCancellation(e)) {
        throw e;
      }
      log.warn("job {}: could not delete the downloaded source: {}", jobId, FailureDescription.describe(e).message());
    }
  }

  /** Runs the compensations in a detached scope, so they also run when the workflow itself was cancelled. */
  void compensate(Saga saga) {
    Workflow.newDetachedCancellationScope(
            () -> {
              try {
                saga.compensate();
              } catch (Saga.CompensationException e) {
                // Every compensation was still attempted; the leftovers are logged for an operator.
                log.error("job {}: some artifacts could not be deleted: {}", jobId, e.getMessage());
              }
            })
        .run();
  }
}

package io.videopipe.cleanup;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** Compensation: removes what a step wrote, so a failed or cancelled job leaves nothing half-done behind. */
@ActivityInterface
public interface CleanupActivities {

  /**
   * Deletes every artifact under {@code jobs/<jobId>/<prefix>} for each prefix (see {@link
   * io.videopipe.pipeline.JobPaths}); idempotent. Returns the number of objects deleted.
   */
  @ActivityMethod(name = "DeleteArtifacts")
  int deleteArtifacts(String jobId, List<String> prefixes);
}

package io.videopipe.cleanup;

import io.temporal.failure.ApplicationFailure;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.storage.Storage;
import io.videopipe.storage.StoragePaths;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes a job's artifacts by prefix; running it again deletes nothing more. */
public final class CleanupActivitiesImpl implements CleanupActivities {
  private static final Logger log = LoggerFactory.getLogger(CleanupActivitiesImpl.class);

  private final Storage storage;

  public CleanupActivitiesImpl(Storage storage) {
    this.storage = storage;
  }

  @Override
  public int deleteArtifacts(String jobId, List<String> prefixes) {
    try {
      StoragePaths.requireJobId(jobId);
      if (prefixes == null) {
        throw new IllegalArgumentException("prefixes are missing");
      }
      // Check every prefix before deleting any, so a bad request deletes nothing.
      prefixes.forEach(StoragePaths::requireRelativePath);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), ErrorTypes.INVALID_REQUEST);
    }
    int deleted = 0;
    for (String prefix : prefixes) {
      try {
        deleted += storage.deletePrefix(storage.jobUri(jobId, prefix));
      } catch (IOException e) {
        throw ApplicationFailure.newFailureWithCause(
            "cannot delete " + storage.jobUri(jobId, prefix) + ": " + e.getMessage(), ErrorTypes.TRANSIENT, e);
      }
    }
    log.info("job {}: deleted {} artifacts under {}", jobId, deleted, prefixes);
    return deleted;
  }
}

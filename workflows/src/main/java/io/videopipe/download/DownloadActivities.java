package io.videopipe.download;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Copies the job's source into storage, streaming, so every later step reads our own copy. */
@ActivityInterface
public interface DownloadActivities {

  /**
   * Streams {@code request.sourceUri()} to {@code jobs/<jobId>/source/}. Heartbeats bytes done; on retry resumes from
   * the heartbeat checkpoint when the source supports ranges, else restarts. Fails non-retryably for a missing source,
   * an empty one, one over the size limit, or a URI scheme that is not supported or not allowed.
   */
  @ActivityMethod(name = "Download")
  StoredSource download(DownloadRequest request);
}

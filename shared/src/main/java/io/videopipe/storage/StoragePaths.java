package io.videopipe.storage;

import io.videopipe.pipeline.JobIds;
import java.util.regex.Pattern;

/**
 * Checks for the parts of an object key that come from requests, so that {@code jobs/<jobId>/<relativePath>} always stays
 * inside the job's prefix and forms a valid URI.
 */
public final class StoragePaths {
  private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9._~@=+,:-]+");

  private StoragePaths() {}

  /**
   * Returns {@code jobId} if it is a job id ({@link JobIds}, the rule the API checks too; every such id is one safe
   * path segment), else throws {@link IllegalArgumentException}.
   */
  public static String requireJobId(String jobId) {
    if (jobId == null || jobId.isBlank()) {
      throw new IllegalArgumentException("job id is empty");
    }
    return JobIds.require(jobId);
  }

  /**
   * Returns {@code path} if it is relative to a job's prefix and cannot leave it: no leading slash, no {@code ..} or
   * {@code .} segment, no backslash, scheme or drive letter. The empty string (the whole job prefix) is allowed.
   */
  public static String requireRelativePath(String path) {
    if (path == null) {
      throw new IllegalArgumentException("path is missing");
    }
    if (path.startsWith("/") || path.contains("\\") || path.contains(":")) {
      throw new IllegalArgumentException("path must be relative to the job prefix: " + printable(path));
    }
    if (path.isEmpty()) {
      return path;
    }
    String[] segments = path.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      boolean trailingSlash = i == segments.length - 1 && segment.isEmpty();
      if (trailingSlash) {
        continue;
      }
      if (segment.isEmpty() || isDots(segment) || !SAFE_SEGMENT.matcher(segment).matches()) {
        throw new IllegalArgumentException("path has an unsafe segment: " + printable(path));
      }
    }
    return path;
  }

  private static boolean isDots(String segment) {
    return segment.equals(".") || segment.equals("..");
  }

  // Request input echoed in a message: keep it short and on one line.
  private static String printable(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}

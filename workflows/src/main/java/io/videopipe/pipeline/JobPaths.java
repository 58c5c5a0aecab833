package io.videopipe.pipeline;

/**
 * Where each step writes under the job's prefix ({@code jobs/<jobId>/}). Compensation deletes by these
 * prefixes, so a step that died half-way leaves nothing behind either.
 */
public final class JobPaths {
  public static final String SOURCE = "source/";
  public static final String AUDIO = "audio/";
  public static final String TRANSCRIPT = "transcript/";
  public static final String HIGHLIGHTS = "highlights/";
  public static final String CLIPS = "clips/";
  public static final String QA = "qa/";
  public static final String COST = "cost/";

  private JobPaths() {}

  /** The prefix of every artifact of one job, relative to the storage root. */
  public static String jobPrefix(String jobId) {
    return "jobs/" + jobId + "/";
  }
}

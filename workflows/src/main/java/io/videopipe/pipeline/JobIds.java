package io.videopipe.pipeline;

import java.util.regex.Pattern;

/**
 * The one rule for job ids, used by the API when a client names a job and by storage before an id becomes a path
 * segment ({@code jobs/<jobId>/}): 1 to {@value #MAX_LENGTH} characters of letters, digits, {@code .}, {@code _},
 * {@code -} and {@code :}, starting with a letter or digit. The colon is there because Temporal names the runs a
 * schedule starts {@code <id>-<RFC 3339 time>}, and a bulk job's children are named after it.
 */
public final class JobIds {
  public static final int MAX_LENGTH = 200;
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0," + (MAX_LENGTH - 1) + "}");

  private JobIds() {}

  public static boolean isValid(String jobId) {
    return jobId != null && VALID.matcher(jobId).matches();
  }

  /** Returns {@code jobId} when it is valid, else throws an {@link IllegalArgumentException} that says the rule. */
  public static String require(String jobId) {
    if (!isValid(jobId)) {
      throw new IllegalArgumentException(
          "jobId " + printable(jobId) + " must be 1-" + MAX_LENGTH + " characters of letters, digits, '.', '_', '-'"
              + " or ':', starting with a letter or digit");
    }
    return jobId;
  }

  // Request input echoed in a message: keep it short and on one line.
  private static String printable(String s) {
    if (s == null) {
      return "(none)";
    }
    String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}

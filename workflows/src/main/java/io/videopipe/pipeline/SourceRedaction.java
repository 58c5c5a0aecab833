package io.videopipe.pipeline;

import java.util.regex.Pattern;

/**
 * The display form of a source URI: what every reader sees (progress, activity summaries, memo, results, webhooks,
 * logs). Signed URLs and basic auth carry credentials in the user info and the query, so both are dropped, and the
 * fragment with them; the raw URI stays only in the job's (encryptable) input and the download's.
 */
public final class SourceRedaction {
  private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@");
  private static final int MAX_LENGTH = 500;

  private SourceRedaction() {}

  public static String redact(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.strip();
    int query = s.indexOf('?');
    int fragment = s.indexOf('#');
    int cut = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
    if (cut >= 0) {
      s = s.substring(0, cut);
    }
    s = USER_INFO.matcher(s).replaceFirst("$1");
    return s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH) + "..." : s;
  }
}

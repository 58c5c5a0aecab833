package io.videopipe.pipeline;

import java.util.regex.Pattern;

/**
 * The one display form of a job's source: what every reader sees (progress detail, activity summaries, memo, search
 * attributes, results, webhooks, logs, error messages, the Web UI's summary). Signed URLs and basic auth carry
 * credentials in the user info and the query, so both are dropped, and the fragment with them; the raw URI stays only
 * in the job's (encryptable) input and the download's.
 */
public final class SourceDisplay {
  private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@");
  private static final Pattern URI_IN_TEXT = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s\"'<>]+");

  private SourceDisplay() {}

  /** Drops user info, query and fragment; cut to 500 characters. */
  public static String redact(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.strip();
    int cut = indexOfAny(s, '?', '#');
    if (cut >= 0) {
      s = s.substring(0, cut);
    }
    s = USER_INFO.matcher(s).replaceFirst("$1");
    return s.length() > 500 ? s.substring(0, 500) + "..." : s;
  }

  /**
   * A message (a failure's, say) with every URI in it {@linkplain #redact redacted}: failures may quote the URI they
   * were given, credentials and all.
   */
  public static String redactUris(String text) {
    if (text == null) {
      return null;
    }
    return URI_IN_TEXT.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(redact(m.group())));
  }

  /**
   * The source's name: the last path segment of the redacted source, with the host for a URL ({@code talk.mp4 from
   * media.example.com}); the redacted source itself when it has no path.
   */
  public static String name(String raw) {
    String s = redact(raw);
    int scheme = s.indexOf("://");
    String host = "";
    String path = s;
    if (scheme > 0) {
      String rest = s.substring(scheme + 3);
      int slash = rest.indexOf('/');
      host = slash < 0 ? rest : rest.substring(0, slash);
      path = slash < 0 ? "" : rest.substring(slash);
    }
    String trimmed = path.replaceAll("[/\\\\]+$", "");
    String last = trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
    if (last.isEmpty()) {
      return s;
    }
    return host.isEmpty() ? last : last + " from " + host;
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}

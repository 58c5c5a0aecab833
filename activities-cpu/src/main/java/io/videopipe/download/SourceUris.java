package io.videopipe.download;

import java.util.regex.Pattern;

/** Helpers for source URIs as users give them. */
public final class SourceUris {
  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):");
  private static final int MAX_NAME = 120;

  private SourceUris() {}

  /** The scheme in lower case, or null for a plain path (a one-letter "scheme" is a Windows drive). */
  public static String scheme(String raw) {
    var m = SCHEME.matcher(raw);
    return m.find() ? m.group(1).toLowerCase(java.util.Locale.ROOT) : null;
  }

  /** Drops user info, query and fragment: signed URLs and basic auth carry credentials there. */
  static String redact(String raw) {
    return io.videopipe.pipeline.SourceDisplay.redact(raw);
  }

  /** A safe object name from the last segment of a (decoded) path; "source" when nothing usable is left. */
  static String fileName(String path) {
    String last = path == null ? "" : path;
    int slash = Math.max(last.lastIndexOf('/'), last.lastIndexOf('\\'));
    last = last.substring(slash + 1);
    StringBuilder b = new StringBuilder(last.length());
    for (char c : last.toCharArray()) {
      boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
          || c == '_';
      b.append(safe ? c : '_');
    }
    String name = b.toString().replaceAll("_+", "_").replaceAll("^[._]+", "");
    if (name.length() > MAX_NAME) {
      int dot = name.lastIndexOf('.');
      String ext = dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
      name = name.substring(0, MAX_NAME - ext.length()) + ext;
    }
    return name.isEmpty() || name.chars().allMatch(c -> c == '.' || c == '_' || c == '-') ? "source" : name;
  }

}

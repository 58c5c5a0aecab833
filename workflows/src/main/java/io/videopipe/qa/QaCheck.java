package io.videopipe.qa;

/**
 * @param name stable check name, e.g. "highlight.duration" or "clip.loudness"
 * @param measured what was measured, with units
 * @param expected the bound it was held to
 * @param clip the rank of the clip the check is about, or null for a check of the whole job
 */
public record QaCheck(String name, boolean passed, String measured, String expected, Integer clip) {

  /** A check of the whole job rather than of one clip. */
  public QaCheck(String name, boolean passed, String measured, String expected) {
    this(name, passed, measured, expected, null);
  }
}

package io.videopipe.qa;

import java.util.Locale;

/** Formatting and float tolerance shared by the check families. */
final class QaText {
  /** Tolerance for comparing times that went through float arithmetic. */
  static final double EPS = 1e-6;

  private QaText() {}

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}

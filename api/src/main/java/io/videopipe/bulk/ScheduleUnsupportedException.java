package io.videopipe.bulk;

/** The operation needs Temporal schedules, which the embedded test server does not have: 409 for that schedule. */
public class ScheduleUnsupportedException extends RuntimeException {
  public ScheduleUnsupportedException(String message) {
    super(message);
  }
}

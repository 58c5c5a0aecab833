package io.videopipe.bulk;

/** A schedule with this id exists already. */
public class ScheduleConflictException extends RuntimeException {
  public ScheduleConflictException(String message) {
    super(message);
  }
}

package io.videopipe.bulk;

/** No schedule with this id. */
public class ScheduleNotFoundException extends RuntimeException {
  public ScheduleNotFoundException(String id) {
    super("no schedule with id " + id);
  }
}

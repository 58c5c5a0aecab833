package io.videopipe.jobs;

public class JobConflictException extends RuntimeException {
  public JobConflictException(String message) {
    super(message);
  }
}

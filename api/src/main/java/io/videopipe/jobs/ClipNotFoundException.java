package io.videopipe.jobs;

/** No rendered clip (or caption file) with that number in the job's storage: answered 404. */
public class ClipNotFoundException extends RuntimeException {
  public ClipNotFoundException(String message) {
    super(message);
  }
}

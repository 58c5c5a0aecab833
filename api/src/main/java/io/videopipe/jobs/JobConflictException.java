package io.videopipe.jobs;

/** A request that the job's current state does not allow: answered 409 with {@link #title()} as the problem title. */
public class JobConflictException extends RuntimeException {
  private final String title;

  public JobConflictException(String title, String message) {
    super(message);
    this.title = title;
  }

  public String title() {
    return title;
  }
}

package io.videopipe.jobs;

public class JobNotFoundException extends RuntimeException {
  public JobNotFoundException(String jobId) {
    super("no job with id '" + jobId + "'");
  }
}

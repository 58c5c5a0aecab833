package io.videopipe.pipeline;

public enum JobStatus {
  RUNNING,
  COMPLETED,
  /** Completed, but a QA check failed: a person should look before publishing. */
  NEEDS_REVIEW,
  FAILED,
  CANCELLED
}

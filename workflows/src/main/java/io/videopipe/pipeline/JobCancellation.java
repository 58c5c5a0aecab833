package io.videopipe.pipeline;

import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;

/**
 * The scope the job's steps run in, and why it was cancelled: by the {@code cancel} signal (which may arrive before
 * the steps start) or by Temporal cancellation of the whole workflow.
 */
final class JobCancellation {
  private CancellationScope steps;
  private String reason;

  /** Creates the steps' scope, already cancelled when a signal came first. */
  CancellationScope scope(Runnable stepsToRun) {
    steps = Workflow.newCancellationScope(stepsToRun);
    if (reason != null) {
      steps.cancel(reason);
    }
    return steps;
  }

  /** The cancel signal; false when the job was already cancelled. */
  boolean request(String why) {
    if (reason != null) {
      return false;
    }
    reason = why == null || why.isBlank() ? "cancelled by request" : why;
    if (steps != null) {
      steps.cancel(reason);
    }
    return true;
  }

  /** Whether {@code e} (or the job around it) is a cancellation rather than a failure. */
  boolean isCancellation(TemporalFailure e) {
    return (steps != null && steps.isCancelRequested())
        || e instanceof CanceledFailure
        || e.getCause() instanceof CanceledFailure;
  }

  /** Steps that swallow their activities' failures (the parallel renders) still end the job when it was cancelled. */
  void throwIfRequested() {
    if (steps.isCancelRequested()) {
      throw new CanceledFailure(reason());
    }
  }

  String reason() {
    if (reason != null) {
      return reason;
    }
    String temporal = CancellationScope.current().getCancellationReason();
    return temporal == null || temporal.isBlank() ? "cancelled through Temporal" : temporal;
  }

  /** The reason given by the signal, or null. */
  String requested() {
    return reason;
  }
}

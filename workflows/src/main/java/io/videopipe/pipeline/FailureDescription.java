package io.videopipe.pipeline;

import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import java.util.Locale;

/** Turns a Temporal failure into what a person should see, and tells the kinds of failure the workflow treats apart. */
final class FailureDescription {
  private FailureDescription() {}

  /** The failure a person should see: the activity's own type and message, not Temporal's wrapper. */
  static ErrorInfo describe(Throwable failure) {
    Throwable t = failure;
    String activityType = null;
    while (t instanceof ActivityFailure && t.getCause() != null) {
      activityType = ((ActivityFailure) t).getActivityType();
      t = t.getCause();
    }
    if (t instanceof ApplicationFailure a) {
      return new ErrorInfo(a.getType(), a.getOriginalMessage());
    }
    if (t instanceof TimeoutFailure timeout) {
      return new ErrorInfo(
          ErrorTypes.TIMEOUT,
          (activityType == null ? "activity" : activityType) + " timed out (" + timeoutName(timeout.getTimeoutType())
              + ")");
    }
    if (t instanceof TemporalFailure tf) {
      return new ErrorInfo(t.getClass().getSimpleName(), tf.getOriginalMessage());
    }
    return new ErrorInfo(t.getClass().getSimpleName(), String.valueOf(t.getMessage()));
  }

  /** The last attempt ended because its worker stopped heartbeating, not because the engine reported a failure. */
  static boolean isWorkerLoss(ActivityFailure e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof TimeoutFailure timeout) {
        return timeout.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_HEARTBEAT;
      }
    }
    return false;
  }

  private static String timeoutName(TimeoutType type) {
    return type.name().replace("TIMEOUT_TYPE_", "").toLowerCase(Locale.ROOT).replace('_', '-');
  }
}

package io.videopipe.pipeline;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.Priority;
import io.temporal.common.RetryOptions;
import io.videopipe.route.Engine;
import java.time.Duration;

/**
 * How each step's activity is called: one row per step (queue, start-to-close, heartbeat, attempts), read from the
 * worker's {@link PipelineTimeouts} and the job's {@link TaskQueues}. Options are built per call, so a reprioritise
 * signal reaches every step scheduled after it and the Web UI shows what the step is doing.
 */
final class StepPolicies {
  /** The longest activity summary the Web UI is sent. */
  private static final int SUMMARY_CHARS = 200;

  /**
   * One row of the table.
   *
   * @param heartbeat heartbeat timeout, or null for a short step that does not heartbeat
   * @param scheduleToStart how long the call may wait for a worker, or null for no bound
   */
  record Policy(String queue, Duration startToClose, Duration heartbeat, int maxAttempts, Duration scheduleToStart) {}

  private final PipelineTimeouts t;
  private final TaskQueues queues;

  StepPolicies(PipelineTimeouts timeouts, TaskQueues queues) {
    this.t = timeouts;
    this.queues = queues;
  }

  String cpuQueue() {
    return queues.cpu();
  }

  /** The row of a step that runs on the CPU queue. */
  Policy of(Step step) {
    return switch (step) {
      case DOWNLOAD -> heartbeating(t.download(), t.maxAttempts());
      case EXTRACT_AUDIO -> heartbeating(t.extractAudio(), t.maxAttempts());
      case ROUTE -> quick(t.route());
      case TRANSCRIBE -> transcription(Engine.LOCAL);
      case REFINE -> heartbeating(t.transcribe(), t.transcribeMaxAttempts());
      case HIGHLIGHT -> heartbeating(t.highlights(), t.maxAttempts());
      case RENDER -> heartbeating(t.render(), t.maxAttempts());
      case QA -> heartbeating(t.qa(), t.maxAttempts());
      case COST -> quick(t.cost());
      case QUEUED, DONE -> throw new IllegalArgumentException(step + " runs no activity");
    };
  }

  /** TRANSCRIBE with one engine: on the GPU queue for a GPU engine, which may wait only so long for a GPU worker. */
  Policy transcription(Engine engine) {
    if (!engine.gpu) {
      return heartbeating(t.transcribe(), t.transcribeMaxAttempts());
    }
    // No GPU worker polling: give up after this long and let the next engine take the job.
    return new Policy(queues.gpu(), t.transcribe(), t.heartbeat(), t.transcribeMaxAttempts(), t.gpuScheduleToStart());
  }

  /** DeleteArtifacts, the compensation of every step. */
  Policy cleanup() {
    return quick(t.cleanup());
  }

  ActivityOptions options(Policy p, int priority, String summary) {
    ActivityOptions.Builder b =
        ActivityOptions.newBuilder()
            .setTaskQueue(p.queue())
            .setStartToCloseTimeout(p.startToClose())
            // Compensation must not start while the cancelled activity is still writing.
            .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
            .setPriority(Priority.newBuilder().setPriorityKey(priority).build())
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setInitialInterval(t.initialRetryInterval())
                    .setBackoffCoefficient(2)
                    .setMaximumInterval(t.maxRetryInterval())
                    .setMaximumAttempts(p.maxAttempts())
                    .setDoNotRetry(ErrorTypes.NON_RETRYABLE.toArray(new String[0]))
                    .build());
    if (p.heartbeat() != null) {
      b.setHeartbeatTimeout(p.heartbeat());
    }
    if (p.scheduleToStart() != null) {
      b.setScheduleToStartTimeout(p.scheduleToStart());
    }
    // what the Web UI shows on the activity, so an operator need not open its payload
    b.setSummary(summary.length() > SUMMARY_CHARS ? summary.substring(0, SUMMARY_CHARS - 3) + "..." : summary);
    return b.build();
  }

  private Policy heartbeating(Duration startToClose, int maxAttempts) {
    return new Policy(queues.cpu(), startToClose, t.heartbeat(), maxAttempts, null);
  }

  private Policy quick(Duration startToClose) {
    return new Policy(queues.cpu(), startToClose, null, t.maxAttempts(), null);
  }
}

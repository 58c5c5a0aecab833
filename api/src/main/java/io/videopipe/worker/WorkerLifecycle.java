package io.videopipe.worker;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Starts polling once every worker of this role is registered, and on shutdown stops polling and lets running
 * activities finish briefly; what does not finish is retried by Temporal on another worker.
 */
@Component
@Profile({"local", "cpu-worker", "gpu-worker"})
public class WorkerLifecycle implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(WorkerLifecycle.class);
  /**
   * How long a starting worker waits for the Temporal server to answer. The SDK's start asks the server once with a
   * short deadline; a worker started beside a server still coming up (or on a loaded machine: measured 7 s to connect
   * under a load average of 33) would otherwise exit at once.
   */
  static final Duration START_WAIT = Duration.ofMinutes(2);

  private final WorkerFactory factory;

  public WorkerLifecycle(WorkerFactory factory) {
    this.factory = factory;
  }

  @Override
  public void start() {
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    long backoffMs = 500;
    while (true) {
      try {
        factory.start();
        return;
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
          throw e;
        }
        String target = factory.getWorkflowClient().getWorkflowServiceStubs().getOptions().getTarget();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the Temporal server at " + target + " did not answer within "
              + START_WAIT.toSeconds() + " s (" + e.getStatus() + "); check that it runs and that"
              + " videopipe.temporal.address (TEMPORAL_ADDRESS) points at it", e);
        }
        log.warn("the Temporal server at {} is not answering yet ({}); the worker starts polling once it does",
            target, code);
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }

  @Override
  public void stop() {
    factory.shutdown();
    factory.awaitTermination(10, TimeUnit.SECONDS);
  }

  @Override
  public boolean isRunning() {
    return factory.isStarted() && !factory.isShutdown();
  }
}

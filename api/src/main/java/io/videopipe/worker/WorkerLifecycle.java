package io.videopipe.worker;

import io.temporal.worker.WorkerFactory;
import java.util.concurrent.TimeUnit;
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
  private final WorkerFactory factory;

  public WorkerLifecycle(WorkerFactory factory) {
    this.factory = factory;
  }

  @Override
  public void start() {
    factory.start();
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

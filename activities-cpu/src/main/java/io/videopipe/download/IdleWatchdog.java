package io.videopipe.download;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a stream that delivers no bytes for a while. The HTTP client's socket read timeout covers HTTP sources
 * too, but GCS and local streams have none, so a source that stalls mid-body would otherwise block the activity thread
 * for good.
 */
final class IdleWatchdog implements AutoCloseable {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "download-idle-watchdog");
            t.setDaemon(true);
            return t;
          });

  private final long timeoutNanos;
  private final Closeable target;
  private volatile long lastProgress = System.nanoTime();
  private volatile boolean fired;
  private ScheduledFuture<?> next;
  private boolean closed;

  private IdleWatchdog(Duration timeout, Closeable target) {
    this.timeoutNanos = timeout.toNanos();
    this.target = target;
  }

  static IdleWatchdog start(Duration timeout, Closeable target) {
    IdleWatchdog dog = new IdleWatchdog(timeout, target);
    dog.schedule(dog.timeoutNanos);
    return dog;
  }

  void touch() {
    lastProgress = System.nanoTime();
  }

  /** Whether the watchdog closed the stream, i.e. a read failed because the source went quiet. */
  boolean fired() {
    return fired;
  }

  private synchronized void schedule(long delayNanos) {
    if (!closed) {
      next = TIMER.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void check() {
    long idle = System.nanoTime() - lastProgress;
    if (idle < timeoutNanos) {
      schedule(timeoutNanos - idle);
      return;
    }
    fired = true;
    try {
      target.close();
    } catch (IOException | RuntimeException e) {
      // the blocked reader fails either way
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (next != null) {
      next.cancel(false);
    }
  }
}

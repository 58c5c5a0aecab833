package io.videopipe.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories for an engine's worker pools: named for thread dumps, daemon so that they never hold up exit. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Threads named {@code prefix1}, {@code prefix2}, ... */
  public static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}

package io.videopipe.storage;

import java.io.IOException;
import java.io.OutputStream;

/** An object being written: {@link #commit()} publishes it, {@link #close()} without commit discards it. */
public interface PendingWrite extends AutoCloseable {
  OutputStream stream();

  /** Publishes the object atomically at its URI. */
  void commit() throws IOException;

  /** Discards the write unless committed. */
  @Override
  void close() throws IOException;
}

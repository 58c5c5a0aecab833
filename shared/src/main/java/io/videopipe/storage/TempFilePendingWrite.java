package io.videopipe.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A write staged in a local temporary file and published in one step (a rename, an upload) on commit. */
final class TempFilePendingWrite implements PendingWrite {

  /** Makes the staged file visible at its destination. */
  interface Publisher {
    void publish(Path staged) throws IOException;
  }

  private final Path tmp;
  private final OutputStream out;
  private final Publisher publisher;
  private boolean committed;

  private TempFilePendingWrite(Path tmp, OutputStream out, Publisher publisher) {
    this.tmp = tmp;
    this.out = out;
    this.publisher = publisher;
  }

  static PendingWrite open(Path tmp, Publisher publisher) throws IOException {
    try {
      return new TempFilePendingWrite(tmp, Files.newOutputStream(tmp), publisher);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  @Override
  public OutputStream stream() {
    return out;
  }

  @Override
  public void commit() throws IOException {
    out.close();
    publisher.publish(tmp);
    committed = true;
    // a rename has already consumed it; an upload leaves it behind
    Files.deleteIfExists(tmp);
  }

  @Override
  public void close() throws IOException {
    if (!committed) {
      try {
        out.close();
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }
}

package io.videopipe.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A local path holding an object's bytes; temporary copies are deleted on close. */
public record LocalFile(Path path, boolean temporary) implements AutoCloseable {
  @Override
  public void close() throws IOException {
    if (temporary) {
      Files.deleteIfExists(path);
    }
  }
}

package io.videopipe.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

class LocalStorageContractTest extends StorageContractTest {
  private Path root;

  @Override
  Storage newStorage(Path tmp) {
    root = tmp.resolve("data");
    return new LocalStorage(root);
  }

  @Override
  long scratchFiles() throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().contains(".tmp-")).count();
    }
  }
}

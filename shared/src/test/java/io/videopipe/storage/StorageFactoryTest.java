package io.videopipe.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageFactoryTest {
  @TempDir Path tmp;

  @Test
  void plainPathsAndFileUrisAreLocalWithoutTouchingGcs() {
    AtomicInteger gcsCalls = new AtomicInteger();

    Storage fromPath = StorageFactory.open(tmp.resolve("a").toString(), () -> {
      gcsCalls.incrementAndGet();
      return null;
    });
    Storage fromUri = StorageFactory.open(tmp.resolve("b").toUri().toString(), () -> {
      gcsCalls.incrementAndGet();
      return null;
    });

    assertThat(fromPath).isInstanceOf(LocalStorage.class);
    assertThat(((LocalStorage) fromPath).rootDir()).isEqualTo(tmp.resolve("a"));
    assertThat(fromUri).isInstanceOf(LocalStorage.class);
    assertThat(((LocalStorage) fromUri).rootDir()).isEqualTo(tmp.resolve("b"));
    assertThat(gcsCalls).hasValue(0);
  }

  @Test
  void gsRootsUseTheSuppliedClient() {
    Storage gcs = StorageFactory.open("gs://bucket/prefix/", () -> LocalStorageHelper.getOptions().getService());

    assertThat(gcs).isInstanceOf(GcsStorage.class);
    assertThat(gcs.root()).isEqualTo(URI.create("gs://bucket/prefix/"));
  }

  @Test
  void otherSchemesAreRejected() {
    assertThatThrownBy(() -> StorageFactory.open("s3://bucket/x", () -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3://bucket/x");
    assertThatThrownBy(() -> StorageFactory.open(" ", () -> null)).isInstanceOf(IllegalArgumentException.class);
  }
}

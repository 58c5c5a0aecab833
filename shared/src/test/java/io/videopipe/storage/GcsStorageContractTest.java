package io.videopipe.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Runs the contract on Google's in-memory fake of the GCS API. */
class GcsStorageContractTest extends StorageContractTest {
  private Path scratch;
  private com.google.cloud.storage.Storage client;

  @Override
  Storage newStorage(Path tmp) {
    scratch = tmp.resolve("scratch");
    client = LocalStorageHelper.getOptions().getService();
    return new GcsStorage(client, URI.create("gs://media-bucket/videopipe"), scratch);
  }

  @Override
  long scratchFiles() throws IOException {
    try (Stream<Path> files = Files.walk(scratch)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void rootGetsATrailingSlashAndObjectsLiveUnderItsPrefix() throws IOException {
    assertThat(storage.root()).isEqualTo(URI.create("gs://media-bucket/videopipe/"));

    write(storage.jobUri("j1", "source/a.mp4"), new byte[] {7});

    assertThat(client.get(BlobId.of("media-bucket", "videopipe/jobs/j1/source/a.mp4")).getSize()).isEqualTo(1);
  }

  @Test
  void bucketRootWithoutPrefix() {
    Storage bare = new GcsStorage(client, URI.create("gs://media-bucket"), scratch);

    assertThat(bare.jobUri("j1", "qa/x.json")).isEqualTo(URI.create("gs://media-bucket/jobs/j1/qa/x.json"));
    assertThat(bare.owns(URI.create("gs://media-bucket/anything"))).isTrue();
    assertThat(storage.owns(URI.create("gs://media-bucket/elsewhere/jobs/j1/a"))).isFalse();
  }

  @Test
  void rejectsRootsThatAreNotGcs() {
    assertThatThrownBy(() -> new GcsStorage(client, URI.create("file:///tmp/x/"), scratch))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GcsStorage(client, URI.create("gs:///no-bucket/"), scratch))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package io.videopipe.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link Storage} must have; run against each implementation. */
abstract class StorageContractTest {
  @TempDir Path tmp;
  Storage storage;

  abstract Storage newStorage(Path tmp) throws IOException;

  /** Files the implementation left in its own scratch space (pending writes, temporary copies). */
  abstract long scratchFiles() throws IOException;

  @BeforeEach
  void setUp() throws IOException {
    storage = newStorage(tmp);
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  void write(URI uri, byte[] content) throws IOException {
    try (PendingWrite w = storage.create(uri)) {
      w.stream().write(content);
      w.commit();
    }
  }

  byte[] read(URI uri, long offset) throws IOException {
    try (InputStream in = storage.openRead(uri, offset)) {
      return in.readAllBytes();
    }
  }

  @Test
  void jobUriHangsUnderRootInJobsPrefix() {
    URI uri = storage.jobUri("job-1", "audio/audio.wav");

    assertThat(uri).isEqualTo(URI.create(storage.root() + "jobs/job-1/audio/audio.wav"));
    assertThat(storage.root().toString()).endsWith("/");
    assertThat(storage.owns(uri)).isTrue();
  }

  @Test
  void ownsOnlyItsOwnUris() {
    URI root = storage.root();

    assertThat(storage.owns(root.resolve("jobs/x/a.bin"))).isTrue();
    assertThat(storage.owns(URI.create("https://example.com/jobs/x/a.bin"))).isFalse();
    assertThat(storage.owns(URI.create(root + "jobs/../../outside.bin"))).isFalse();
    assertThat(storage.owns(URI.create("gs://some-other-bucket/jobs/x/a.bin"))).isFalse();
    assertThat(storage.owns(URI.create("file:///somewhere/else/jobs/x/a.bin"))).isFalse();
  }

  @Test
  void committedWriteIsVisibleWithItsBytes() throws IOException {
    URI uri = storage.jobUri("j1", "source/video.mp4");
    byte[] content = bytes(300_000, 1);

    try (PendingWrite w = storage.create(uri)) {
      w.stream().write(content);
      assertThat(storage.size(uri)).isEmpty();
      assertThat(storage.list(storage.jobUri("j1", ""))).isEmpty();
      w.commit();
    }

    assertThat(storage.size(uri)).contains((long) content.length);
    assertThat(read(uri, 0)).isEqualTo(content);
    assertThat(storage.list(storage.jobUri("j1", ""))).containsExactly(uri);
    assertThat(scratchFiles()).isZero();
  }

  @Test
  void closeWithoutCommitLeavesNothing() throws IOException {
    URI uri = storage.jobUri("j1", "audio/audio.wav");

    try (PendingWrite w = storage.create(uri)) {
      w.stream().write(bytes(10_000, 2));
    }

    assertThat(storage.size(uri)).isEmpty();
    assertThat(storage.list(storage.jobUri("j1", ""))).isEmpty();
    assertThatThrownBy(() -> storage.openRead(uri)).isInstanceOf(FileNotFoundException.class);
    assertThat(scratchFiles()).isZero();
  }

  @Test
  void commitReplacesAnExistingObject() throws IOException {
    URI uri = storage.jobUri("j1", "qa/report.json");
    write(uri, "first".getBytes(StandardCharsets.UTF_8));
    write(uri, "second".getBytes(StandardCharsets.UTF_8));

    assertThat(new String(read(uri, 0), StandardCharsets.UTF_8)).isEqualTo("second");
  }

  @Test
  void openReadFromAnOffset() throws IOException {
    URI uri = storage.jobUri("j1", "source/video.mp4");
    byte[] content = bytes(5_000_000, 3);
    write(uri, content);

    assertThat(read(uri, 0)).isEqualTo(content);
    assertThat(read(uri, 4_000_001)).isEqualTo(java.util.Arrays.copyOfRange(content, 4_000_001, content.length));
    assertThat(read(uri, content.length)).isEmpty();
  }

  @Test
  void missingObjectHasNoSizeAndCannotBeRead() throws IOException {
    URI uri = storage.jobUri("j1", "nope.bin");

    assertThat(storage.size(uri)).isEmpty();
    assertThatThrownBy(() -> storage.openRead(uri, 0)).isInstanceOf(FileNotFoundException.class);
    assertThatThrownBy(() -> storage.localFile(uri)).isInstanceOf(FileNotFoundException.class);
  }

  @Test
  void localFileHoldsTheBytesAndCleansUpTemporaryCopies() throws IOException {
    URI uri = storage.jobUri("j1", "audio/audio.wav");
    byte[] content = bytes(123_456, 4);
    write(uri, content);

    Path path;
    boolean temporary;
    try (LocalFile local = storage.localFile(uri)) {
      path = local.path();
      temporary = local.temporary();
      assertThat(Files.readAllBytes(path)).isEqualTo(content);
    }
    // a temporary copy is gone after close; the object itself never is
    assertThat(Files.exists(path)).isEqualTo(!temporary);
    assertThat(storage.size(uri)).contains((long) content.length);
    assertThat(scratchFiles()).isZero();
  }

  @Test
  void putCopiesOrMovesAFile() throws IOException {
    Path src = tmp.resolve("upload.bin");
    byte[] content = bytes(70_000, 5);
    Files.write(src, content);

    URI copied = storage.jobUri("j1", "highlights/h1.mp4");
    storage.put(src, copied, false);
    assertThat(Files.exists(src)).isTrue();

    URI moved = storage.jobUri("j1", "highlights/h2.mp4");
    storage.put(src, moved, true);
    assertThat(Files.exists(src)).isFalse();

    assertThat(read(copied, 0)).isEqualTo(content);
    assertThat(read(moved, 0)).isEqualTo(content);
  }

  @Test
  void listIsRecursiveAndStaysWithinThePrefix() throws IOException {
    URI a = storage.jobUri("j1", "source/video.mp4");
    URI b = storage.jobUri("j1", "highlights/1/clip.mp4");
    URI c = storage.jobUri("j1", "highlights/2/clip.mp4");
    URI other = storage.jobUri("j10", "source/video.mp4");
    for (URI uri : new URI[] {a, b, c, other}) {
      write(uri, uri.toString().getBytes(StandardCharsets.UTF_8));
    }

    assertThat(storage.list(storage.jobUri("j1", ""))).containsExactlyInAnyOrder(a, b, c);
    assertThat(storage.list(storage.jobUri("j1", "highlights/"))).containsExactlyInAnyOrder(b, c);
    // without a trailing slash a prefix is a "directory" or an object, never a name prefix (j1 vs j10)
    assertThat(storage.list(storage.root().resolve("jobs/j1"))).containsExactlyInAnyOrder(a, b, c);
    assertThat(storage.list(storage.jobUri("j1", "highlights"))).containsExactlyInAnyOrder(b, c);
    assertThat(storage.list(a)).containsExactly(a);
    assertThat(storage.list(storage.jobUri("j2", ""))).isEmpty();
  }

  @Test
  void deletePrefixIsIdempotentAndLeavesOtherJobs() throws IOException {
    URI a = storage.jobUri("j1", "source/video.mp4");
    URI b = storage.jobUri("j1", "audio/audio.wav");
    URI c = storage.jobUri("j1", "audio/chunks/0001.wav");
    URI other = storage.jobUri("j10", "audio/audio.wav");
    for (URI uri : new URI[] {a, b, c, other}) {
      write(uri, new byte[] {1, 2, 3});
    }

    assertThat(storage.deletePrefix(storage.jobUri("j1", "audio/"))).isEqualTo(2);
    assertThat(storage.deletePrefix(storage.jobUri("j1", "audio/"))).isZero();
    assertThat(storage.list(storage.jobUri("j1", ""))).containsExactly(a);

    assertThat(storage.deletePrefix(storage.root().resolve("jobs/j1"))).isEqualTo(1);
    assertThat(storage.deletePrefix(storage.root().resolve("jobs/j1"))).isZero();
    assertThat(storage.size(other)).contains(3L);
  }
}

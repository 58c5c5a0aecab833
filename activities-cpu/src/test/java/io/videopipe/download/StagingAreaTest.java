package io.videopipe.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep of stale staged downloads, on real files with real modification times. */
class StagingAreaTest {
  private static final Duration MAX_AGE = Duration.ofHours(24);
  private static final String SOURCE = "https://media.example.com/talk.mp4?sig=secret";

  @TempDir Path tmp;
  private StagingArea staging;

  @BeforeEach
  void setUp() {
    staging = new StagingArea(tmp.resolve("work"), MAX_AGE);
  }

  /** A part and its checkpoint as an attempt leaves them, both last written {@code age} ago. */
  private StagingArea.Part staged(String jobId, String name, Duration age) throws IOException {
    StagingArea.Part part = staging.part(jobId, name);
    part.writeCheckpoint(SOURCE, "\"v1\"", 1000);
    Files.write(part.data(), new byte[500]);
    age(part.data(), age);
    age(part.meta(), age);
    return part;
  }

  private static void age(Path file, Duration age) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
  }

  @Test
  void deletesPartsAndCheckpointsOlderThanTheMaxAgeAndTheirEmptyJobDirectories() throws IOException {
    StagingArea.Part stale = staged("job-old", "a.mp4", Duration.ofHours(25));
    StagingArea.Part fresh = staged("job-new", "b.mp4", Duration.ofHours(23));

    int deleted = staging.sweep();

    assertThat(deleted).isEqualTo(2);
    assertThat(stale.data()).doesNotExist();
    assertThat(stale.meta()).doesNotExist();
    assertThat(tmp.resolve("work/job-old")).doesNotExist();
    assertThat(fresh.data()).exists();
    assertThat(fresh.meta()).exists();
    assertThat(fresh.readCheckpoint(SOURCE, 500, 500)).isEqualTo(new Checkpoint(500, "\"v1\"", 1000));
  }

  @Test
  void aPartStillBeingWrittenIsKeptThoughItsCheckpointIsOld() throws IOException {
    // A long download writes its checkpoint once, at the start, and its part all the time.
    StagingArea.Part part = staged("job-1", "long.mp4", Duration.ofDays(3));
    age(part.data(), Duration.ofSeconds(2));

    assertThat(staging.sweep()).isZero();

    assertThat(part.data()).exists();
    assertThat(part.meta()).exists();
  }

  @Test
  void aPartAnAttemptHoldsIsNeverDeletedHoweverOld() throws IOException {
    StagingArea.Part part = staged("job-1", "held.mp4", Duration.ofDays(3));
    try (FileChannel held = part.open()) {
      assertThat(held).as("the attempt got the part").isNotNull();
      age(part.data(), Duration.ofDays(3));
      age(part.meta(), Duration.ofDays(3));

      assertThat(staging.sweep()).isZero();

      assertThat(part.data()).exists();
      assertThat(part.meta()).exists();
      assertThat(part.open()).as("a second attempt is refused while the first holds it").isNull();
    }
    assertThat(staging.sweep()).as("once released, it is stale").isEqualTo(2);
    assertThat(part.data()).doesNotExist();
  }

  @Test
  void openingAStalePartMarksItInUse() throws IOException {
    StagingArea.Part part = staged("job-1", "resumed.mp4", Duration.ofHours(30));
    part.open().close(); // a retry picked it up just now, then failed again

    assertThat(staging.sweep()).isZero();
    assertThat(part.data()).exists();
  }

  @Test
  void anOrphanCheckpointIsDeleted() throws IOException {
    StagingArea.Part part = staged("job-1", "gone.mp4", Duration.ofHours(30));
    Files.delete(part.data());

    assertThat(staging.sweep()).isEqualTo(1);
    assertThat(part.meta()).doesNotExist();
    assertThat(tmp.resolve("work/job-1")).doesNotExist();
  }

  @Test
  void filesThatAreNotStagedDownloadsAreLeftAlone() throws IOException {
    staged("job-1", "a.mp4", Duration.ofHours(30));
    Path other = Files.writeString(tmp.resolve("work/job-1/download/notes.txt"), "x");
    Path elsewhere = Files.writeString(tmp.resolve("work/readme.part"), "x");
    age(other, Duration.ofDays(30));
    age(elsewhere, Duration.ofDays(30));

    assertThat(staging.sweep()).isEqualTo(2);

    assertThat(other).exists();
    assertThat(elsewhere).exists();
  }

  @Test
  void aMissingStagingDirectoryIsNothingToSweep() {
    assertThat(new StagingArea(tmp.resolve("never-created"), MAX_AGE).sweep()).isZero();
  }

  @Test
  void theSweeperSweepsAtStartAndThenPeriodically() throws Exception {
    StagingArea.Part first = staged("job-1", "a.mp4", Duration.ofHours(30));
    try (StagingArea.Sweeper sweeper = staging.sweepEvery(Duration.ofMillis(100))) {
      awaitGone(first.data());
      StagingArea.Part later = staged("job-2", "b.mp4", Duration.ofHours(30));
      awaitGone(later.data());
      assertThat(later.meta()).doesNotExist();
    }
  }

  @Test
  void theMaxAgeMustBePositiveAndItsSettingIsNamed() {
    assertThatThrownBy(() -> new StagingArea(tmp, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("videopipe.download.staging-max-age");
  }

  @Test
  void theWorkerSweepsAQuarterOfTheMaxAgeAtMostHourly() {
    assertThat(new StagingArea(tmp, Duration.ofHours(24)).sweepPeriod()).isEqualTo(Duration.ofHours(1));
    assertThat(new StagingArea(tmp, Duration.ofMinutes(20)).sweepPeriod()).isEqualTo(Duration.ofMinutes(5));
    assertThat(new StagingArea(tmp, Duration.ofMillis(10)).sweepPeriod()).isEqualTo(Duration.ofSeconds(1));
  }

  private static void awaitGone(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Files.exists(file) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(file).as("swept within 10 s").doesNotExist();
  }
}

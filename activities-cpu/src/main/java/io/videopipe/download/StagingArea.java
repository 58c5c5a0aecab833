package io.videopipe.download;

import io.videopipe.storage.Storage;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker-local directory where downloads are staged: {@code <dir>/<jobId>/download/<name>.part} holds the bytes
 * fetched so far and {@code <name>.part.meta} the checkpoint (which source, its version, its full size), so that a
 * retried attempt can continue where the last one stopped. A staged part is published to storage in one step, so
 * storage never holds a partial copy.
 *
 * <p>Parts whose attempt never came back (a worker killed, a job cancelled while it waited for a retry) are swept
 * once they are older than {@link #maxAge()} ({@value #MAX_AGE_SETTING}): a part counts as in use while an attempt
 * holds its file lock or wrote to it within the max age.
 */
public final class StagingArea {
  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
  public static final String MAX_AGE_SETTING = "videopipe.download.staging-max-age";
  private static final Logger log = LoggerFactory.getLogger(StagingArea.class);
  private static final String STEP_DIR = "download";
  private static final String PART = ".part";
  private static final String META = ".part.meta";

  private final Path dir;
  private final Duration maxAge;

  public StagingArea(Path dir, Duration maxAge) {
    this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
    if (maxAge == null || maxAge.isZero() || maxAge.isNegative()) {
      throw new IllegalArgumentException(
          MAX_AGE_SETTING + " must be positive (how long a partial download may wait for its retry): " + maxAge);
    }
    this.maxAge = maxAge;
  }

  public Path dir() {
    return dir;
  }

  public Duration maxAge() {
    return maxAge;
  }

  /** The staged files for one job's source; {@code jobId} and {@code fileName} must already be safe path names. */
  Part part(String jobId, String fileName) {
    return new Part(dir.resolve(jobId).resolve(STEP_DIR), fileName);
  }

  /**
   * Deletes staged parts and checkpoints older than the max age that no attempt is using, and the job directories
   * they leave empty.
   *
   * @return how many files were deleted
   */
  public int sweep() {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    Instant cutoff = Instant.now().minus(maxAge);
    int deleted = 0;
    try (DirectoryStream<Path> jobs = Files.newDirectoryStream(dir)) {
      for (Path job : jobs) {
        Path stepDir = job.resolve(STEP_DIR);
        if (!Files.isDirectory(stepDir, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        for (String name : stagedNames(stepDir)) {
          deleted += new Part(stepDir, name).sweepIfStale(cutoff);
        }
        deleteIfEmpty(stepDir);
        deleteIfEmpty(job);
      }
    } catch (IOException e) {
      log.warn("staging sweep of {} stopped: {}", dir, e.toString());
    }
    if (deleted > 0) {
      log.info("staging sweep: deleted {} stale file(s) older than {} under {}", deleted, maxAge, dir);
    }
    return deleted;
  }

  /** Sweeps now and then every {@code period}, on a daemon thread, until closed. */
  public Sweeper sweepEvery(Duration period) {
    return new Sweeper(this, period);
  }

  /** How often the worker sweeps: a quarter of the max age, at most hourly and at least every second. */
  public Duration sweepPeriod() {
    Duration quarter = maxAge.dividedBy(4);
    Duration hour = Duration.ofHours(1);
    Duration second = Duration.ofSeconds(1);
    return quarter.compareTo(hour) > 0 ? hour : quarter.compareTo(second) < 0 ? second : quarter;
  }

  private static Set<String> stagedNames(Path stepDir) throws IOException {
    Set<String> names = new TreeSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(stepDir)) {
      for (Path f : files) {
        String n = f.getFileName().toString();
        if (n.endsWith(META)) {
          names.add(n.substring(0, n.length() - META.length()));
        } else if (n.endsWith(PART)) {
          names.add(n.substring(0, n.length() - PART.length()));
        }
      }
    }
    return names;
  }

  private static void deleteIfEmpty(Path directory) {
    try {
      Files.deleteIfExists(directory);
    } catch (DirectoryNotEmptyException e) {
      // other files of the job are still staged
    } catch (IOException e) {
      log.warn("cannot delete staging directory {}: {}", directory, e.toString());
    }
  }

  /** The part is tied to its source by hash: the URI itself may hold credentials. */
  private static String sourceKey(String sourceUri) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(sourceUri.strip().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** One staged source: its bytes so far and its checkpoint. */
  final class Part {
    private final Path stepDir;
    private final Path data;
    private final Path meta;

    private Part(Path stepDir, String name) {
      this.stepDir = stepDir;
      this.data = stepDir.resolve(name + PART);
      this.meta = stepDir.resolve(name + META);
    }

    Path data() {
      return data;
    }

    Path meta() {
      return meta;
    }

    /**
     * Opens the part for this attempt and locks it (the lock goes with the channel), or returns null while another
     * attempt holds it. Opening marks the part as in use, so the sweep leaves it alone.
     */
    FileChannel open() throws IOException {
      Files.createDirectories(stepDir);
      for (int tries = 0; ; tries++) {
        FileChannel channel =
            FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = tryLock(channel);
        if (lock == null) {
          channel.close();
          return null;
        }
        try {
          Files.setLastModifiedTime(data, FileTime.from(Instant.now()));
          return channel;
        } catch (NoSuchFileException e) {
          // the sweep deleted it between our open and our lock: open it afresh
          channel.close();
          if (tries > 0) {
            throw e;
          }
        }
      }
    }

    /** Where to continue: the heartbeat's offset, if the staged part holds it and belongs to the same source. */
    Checkpoint readCheckpoint(String sourceUri, long heartbeatOffset, long partSize) {
      if (heartbeatOffset <= 0 || partSize < heartbeatOffset || !Files.isRegularFile(meta)) {
        return Checkpoint.NONE;
      }
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(meta)) {
        p.load(in);
        if (!sourceKey(sourceUri).equals(p.getProperty("source"))) {
          return Checkpoint.NONE;
        }
        return new Checkpoint(
            heartbeatOffset, p.getProperty("validator"), Long.parseLong(p.getProperty("total", "-1")));
      } catch (IOException | IllegalArgumentException e) {
        return Checkpoint.NONE;
      }
    }

    /** Records which source (and version, and size) the staged bytes come from. */
    void writeCheckpoint(String sourceUri, String validator, long total) throws IOException {
      Files.createDirectories(stepDir);
      Properties p = new Properties();
      p.setProperty("source", sourceKey(sourceUri));
      p.setProperty("total", Long.toString(total));
      if (validator != null) {
        p.setProperty("validator", validator);
      }
      try (OutputStream out = Files.newOutputStream(meta)) {
        p.store(out, null);
      }
    }

    /** Publishes the complete part at {@code target} in one step (moved where storage is local). */
    void promote(Storage storage, URI target) throws IOException {
      storage.put(data, target, true);
    }

    /** Deletes the part, its checkpoint and the job's staging directories they leave empty. */
    void discard() {
      try {
        Files.deleteIfExists(data);
        Files.deleteIfExists(meta);
      } catch (IOException e) {
        log.warn("cannot delete staged download {}: {}", data, e.toString());
      }
      deleteIfEmpty(stepDir);
      deleteIfEmpty(stepDir.getParent());
    }

    private int sweepIfStale(Instant cutoff) throws IOException {
      if (!stale(cutoff)) {
        return 0;
      }
      if (!Files.exists(data)) {
        return Files.deleteIfExists(meta) ? 1 : 0; // a checkpoint whose part is gone
      }
      try (FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE)) {
        if (tryLock(channel) == null || !stale(cutoff)) {
          return 0; // an attempt is using it (or just took it up)
        }
        int deleted = Files.deleteIfExists(data) ? 1 : 0;
        return deleted + (Files.deleteIfExists(meta) ? 1 : 0);
      } catch (NoSuchFileException e) {
        return 0;
      }
    }

    /** Stale when the newer of the part and its checkpoint is older than the cutoff. */
    private boolean stale(Instant cutoff) throws IOException {
      Instant newest = null;
      for (Path f : new Path[] {data, meta}) {
        try {
          Instant t = Files.getLastModifiedTime(f).toInstant();
          newest = newest == null || t.isAfter(newest) ? t : newest;
        } catch (NoSuchFileException e) {
          // only one of the pair is there
        }
      }
      return newest != null && newest.isBefore(cutoff);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by an attempt in this JVM
    }
  }

  /** The periodic sweep of a worker; closing it stops the thread. */
  public static final class Sweeper implements Closeable {
    private final ScheduledExecutorService executor;

    private Sweeper(StagingArea area, Duration period) {
      if (period == null || period.isZero() || period.isNegative()) {
        throw new IllegalArgumentException("sweep period must be positive: " + period);
      }
      executor =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "download-staging-sweep");
                t.setDaemon(true);
                return t;
              });
      executor.scheduleWithFixedDelay(
          () -> {
            try {
              area.sweep();
            } catch (RuntimeException e) {
              log.warn("staging sweep failed: {}", e.toString());
            }
          },
          0,
          period.toMillis(),
          TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }
}

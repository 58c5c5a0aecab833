package io.videopipe.download;

import com.google.cloud.storage.StorageOptions;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.net.AddressGuard;
import io.videopipe.pipeline.JobPaths;
import io.videopipe.storage.Storage;
import io.videopipe.storage.StoragePaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a job's source (https://, gs://, and where allowed http:// and local files) into storage at {@code
 * jobs/<jobId>/source/<name>}, hashing as it goes. Bytes are staged in {@code <stagingDir>/<jobId>/download/} and
 * published in one step, so storage never holds a partial copy; the staged part survives retryable failures so the
 * next attempt can continue from the heartbeat checkpoint.
 *
 * <p>Sources are checked against server-side request forgery: hosts that are, or resolve to, loopback, private,
 * link-local or cloud metadata addresses are refused unless {@link DownloadSettings#allowedHosts()} names them, the
 * connection uses exactly the checked addresses, and local files must lie under {@link DownloadSettings#localRoots()}.
 */
public final class DownloadActivitiesImpl implements DownloadActivities {
  private static final Logger log = LoggerFactory.getLogger(DownloadActivitiesImpl.class);
  private static final int CHUNK = 256 * 1024;
  private static final long HEARTBEAT_EVERY_BYTES = 4L * 1024 * 1024;
  // A slow source must still heartbeat: a cancel reaches an activity only through its heartbeat (the SDK throttles).
  private static final long HEARTBEAT_EVERY_NANOS = 1_000_000_000L;

  private final Storage storage;
  private final DownloadSettings settings;
  private final Supplier<com.google.cloud.storage.Storage> gcs;
  static final String ALLOWED_HOSTS_SETTING = "videopipe.download.allowed-hosts";

  private final AddressGuard guard;
  private final OkHttpClient http;
  private final SourceResolver sources;

  /** Uses the default GCS client (application default credentials), created on the first gs:// source. */
  public DownloadActivitiesImpl(Storage storage, DownloadSettings settings) {
    this(storage, settings, memoize(() -> StorageOptions.getDefaultInstance().getService()));
  }

  public DownloadActivitiesImpl(
      Storage storage, DownloadSettings settings, com.google.cloud.storage.Storage gcsClient) {
    this(storage, settings, () -> gcsClient);
  }

  public DownloadActivitiesImpl(
      Storage storage, DownloadSettings settings, Supplier<com.google.cloud.storage.Storage> gcsClient) {
    this(storage, settings, gcsClient, new AddressGuard(settings.allowedHosts(), "source", ALLOWED_HOSTS_SETTING));
  }

  /** With a given address guard (tests resolve host names with it). */
  DownloadActivitiesImpl(
      Storage storage,
      DownloadSettings settings,
      Supplier<com.google.cloud.storage.Storage> gcsClient,
      AddressGuard guard) {
    this.storage = storage;
    this.settings = settings;
    this.gcs = gcsClient;
    this.guard = guard;
    this.http = HttpSource.client(guard, settings.connectTimeout(), settings.readTimeout());
    this.sources = new SourceResolver(settings, guard, http, gcsClient);
  }

  @Override
  public StoredSource download(DownloadRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    String jobId;
    try {
      jobId = StoragePaths.requireJobId(request.jobId());
    } catch (IllegalArgumentException e) {
      throw Failures.invalid(e.getMessage());
    }
    Source source = sources.resolve(request.sourceUri());
    String name = source.fileName();
    Path dir = settings.stagingDir().resolve(jobId).resolve("download");
    Path part = dir.resolve(name + ".part");
    Path meta = dir.resolve(name + ".part.meta");
    long checkpoint = context.getHeartbeatDetails(Long.class).orElse(0L);
    Attempt attempt = new Attempt();
    try {
      Files.createDirectories(dir);
      Fetched fetched = fetch(context, source, sourceKey(request.sourceUri()), part, meta, checkpoint, attempt);
      URI target = storage.jobUri(jobId, JobPaths.SOURCE + name);
      try {
        storage.put(part, target, true);
      } catch (IOException | RuntimeException e) {
        attempt.keepPart = true;
        throw Failures.transientFailure("cannot store source " + source.displayUri() + " at " + target + ": " + e, e);
      }
      log.info("job {}: stored {} ({} bytes) at {}", jobId, source.displayUri(), fetched.size(), target);
      return new StoredSource(source.displayUri(), target.toString(), fetched.size(), fetched.sha256());
    } catch (ApplicationFailure f) {
      attempt.keepPart |= !f.isNonRetryable() && attempt.resumable();
      throw f;
    } catch (ActivityCanceledException e) {
      throw e;
    } catch (ActivityCompletionException e) {
      // worker shutdown or a superseded attempt: a later attempt may continue from the checkpoint
      attempt.keepPart = attempt.resumable();
      throw e;
    } catch (IOException | UncheckedIOException e) {
      attempt.keepPart = attempt.resumable();
      throw Failures.transientFailure(
          "download of " + source.displayUri() + " failed after " + attempt.done + " bytes: " + e.getMessage(),
          hasQuery(request.sourceUri()) ? null : e);
    } catch (RuntimeException e) {
      attempt.keepPart = attempt.resumable();
      throw e;
    } finally {
      if (!attempt.keepPart) {
        deleteStaging(part, meta, dir);
      }
    }
  }

  private Fetched fetch(
      ActivityExecutionContext context,
      Source source,
      String sourceKey,
      Path part,
      Path meta,
      long heartbeatOffset,
      Attempt attempt)
      throws IOException {
    try (FileChannel out =
        FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = out.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        attempt.keepPart = true; // it belongs to the attempt still running
        throw Failures.transientFailure(
            "another attempt is still downloading " + source.displayUri() + " on this worker");
      }
      Checkpoint checkpoint = readCheckpoint(meta, sourceKey, heartbeatOffset, out.size());
      out.truncate(checkpoint.offset());
      try (SourceStream in = source.open(checkpoint)) {
        attempt.streamResumable = in.resumable();
        long start = in.start();
        long total = in.totalSize();
        if (total > settings.maxBytes()) {
          throw Failures.tooLarge(source.displayUri(), total, settings.maxBytes());
        }
        if (total == 0) {
          throw Failures.empty(source.displayUri());
        }
        out.truncate(start);
        writeCheckpoint(meta, sourceKey, in.validator(), total);
        MessageDigest sha256 = sha256();
        rehash(out, start, sha256);
        attempt.done = start;
        context.heartbeat(start);
        copy(context, source, in, out, sha256, attempt);
        if (attempt.done == 0) {
          throw Failures.empty(source.displayUri());
        }
        if (total >= 0 && attempt.done != total) {
          throw Failures.transientFailure(
              "source " + source.displayUri() + " ended after " + attempt.done + " of " + total + " bytes");
        }
        out.force(false);
        return new Fetched(attempt.done, HexFormat.of().formatHex(sha256.digest()));
      }
    }
  }

  private void copy(
      ActivityExecutionContext context,
      Source source,
      SourceStream in,
      FileChannel out,
      MessageDigest sha256,
      Attempt attempt)
      throws IOException {
    byte[] buffer = new byte[CHUNK];
    long sinceHeartbeat = 0;
    long lastHeartbeat = System.nanoTime();
    out.position(attempt.done);
    try (IdleWatchdog watchdog = IdleWatchdog.start(settings.readTimeout(), in)) {
      while (true) {
        int n;
        try {
          n = in.body().read(buffer);
        } catch (IOException e) {
          if (watchdog.fired() || e instanceof SocketTimeoutException) {
            throw Failures.transientFailure(
                "source "
                    + source.displayUri()
                    + " sent no data for "
                    + settings.readTimeout().toMillis()
                    + " ms after "
                    + attempt.done
                    + " bytes");
          }
          throw e;
        }
        if (n < 0) {
          return;
        }
        watchdog.touch();
        if (attempt.done + n > settings.maxBytes()) {
          throw Failures.tooLargeWhileStreaming(source.displayUri(), attempt.done + n, settings.maxBytes());
        }
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
        sha256.update(buffer, 0, n);
        attempt.done += n;
        sinceHeartbeat += n;
        // Written straight to the channel, so the part is never shorter than a checkpoint we report.
        if (sinceHeartbeat >= HEARTBEAT_EVERY_BYTES || System.nanoTime() - lastHeartbeat >= HEARTBEAT_EVERY_NANOS) {
          context.heartbeat(attempt.done);
          sinceHeartbeat = 0;
          lastHeartbeat = System.nanoTime();
        }
      }
    }
  }

  private static Checkpoint readCheckpoint(Path meta, String sourceKey, long offset, long partSize) {
    if (offset <= 0 || partSize < offset || !Files.isRegularFile(meta)) {
      return Checkpoint.NONE;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      p.load(in);
      if (!sourceKey.equals(p.getProperty("source"))) {
        return Checkpoint.NONE;
      }
      return new Checkpoint(offset, p.getProperty("validator"), Long.parseLong(p.getProperty("total", "-1")));
    } catch (IOException | IllegalArgumentException e) {
      return Checkpoint.NONE;
    }
  }

  static void writeCheckpoint(Path meta, String sourceKey, String validator, long total) throws IOException {
    Properties p = new Properties();
    p.setProperty("source", sourceKey);
    p.setProperty("total", Long.toString(total));
    if (validator != null) {
      p.setProperty("validator", validator);
    }
    try (OutputStream out = Files.newOutputStream(meta)) {
      p.store(out, null);
    }
  }

  /** SHA-256 cannot be resumed from a checkpoint, so the bytes already staged are hashed again. */
  private static void rehash(FileChannel part, long length, MessageDigest sha256) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    long position = 0;
    while (position < length) {
      buffer.clear().limit((int) Math.min(CHUNK, length - position));
      int n = part.read(buffer, position);
      if (n < 0) {
        throw new IOException("staged part is shorter than its checkpoint");
      }
      sha256.update(buffer.array(), 0, n);
      position += n;
    }
  }

  private static void deleteStaging(Path part, Path meta, Path dir) {
    try {
      Files.deleteIfExists(part);
      Files.deleteIfExists(meta);
      Files.deleteIfExists(dir);
      Files.deleteIfExists(dir.getParent());
    } catch (DirectoryNotEmptyException e) {
      // other files of the job are still staged
    } catch (IOException e) {
      log.warn("cannot delete staged download {}: {}", part, e.toString());
    }
  }

  /** The part file is tied to the source by hash: the URI itself may hold credentials. */
  static String sourceKey(String sourceUri) {
    return HexFormat.of().formatHex(sha256().digest(sourceUri.strip().getBytes(StandardCharsets.UTF_8)));
  }

  private static boolean hasQuery(String sourceUri) {
    return sourceUri.indexOf('?') >= 0 || sourceUri.indexOf('@') >= 0;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static <T> Supplier<T> memoize(Supplier<T> supplier) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = supplier.get();
        }
        return value;
      }
    };
  }

  private record Fetched(long size, String sha256) {}

  /** What one attempt got to, for deciding whether its staged part is worth keeping. */
  private static final class Attempt {
    long done;
    boolean streamResumable;
    boolean keepPart;

    boolean resumable() {
      return streamResumable && done > 0;
    }
  }
}

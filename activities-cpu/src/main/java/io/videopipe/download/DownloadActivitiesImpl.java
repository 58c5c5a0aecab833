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
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a job's source (https://, gs://, and where allowed http:// and local files) into storage at {@code
 * jobs/<jobId>/source/<name>}, hashing as it goes. {@link SourceResolver} turns the URI into a {@link Source} (and
 * refuses what the settings do not allow); the bytes are staged in the {@link StagingArea} and published in one step,
 * so storage never holds a partial copy; the staged part survives retryable failures so the next attempt can continue
 * from the heartbeat checkpoint.
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
  static final String ALLOWED_HOSTS_SETTING = "videopipe.download.allowed-hosts";

  private final Storage storage;
  private final DownloadSettings settings;
  private final SourceResolver sources;
  private final StagingArea staging;

  private DownloadActivitiesImpl(Builder b) {
    this.storage = b.storage;
    this.settings = b.settings;
    this.staging = b.staging != null ? b.staging : new StagingArea(settings.stagingDir(), StagingArea.DEFAULT_MAX_AGE);
    AddressGuard guard =
        b.resolver != null
            ? new AddressGuard(settings.allowedHosts(), "source", ALLOWED_HOSTS_SETTING, b.resolver)
            : new AddressGuard(settings.allowedHosts(), "source", ALLOWED_HOSTS_SETTING);
    OkHttpClient http = HttpSource.client(guard, settings.connectTimeout(), settings.readTimeout());
    Supplier<com.google.cloud.storage.Storage> gcs =
        b.gcs != null ? b.gcs : memoize(() -> StorageOptions.getDefaultInstance().getService());
    this.sources = new SourceResolver(settings, guard, http, gcs);
  }

  /** A download activity writing to {@code storage} under {@code settings}. */
  public static Builder newBuilder(Storage storage, DownloadSettings settings) {
    return new Builder(storage, settings);
  }

  public static final class Builder {
    private final Storage storage;
    private final DownloadSettings settings;
    private StagingArea staging;
    private Supplier<com.google.cloud.storage.Storage> gcs;
    private AddressGuard.Resolver resolver;

    private Builder(Storage storage, DownloadSettings settings) {
      this.storage = Objects.requireNonNull(storage, "storage");
      this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Where parts are staged (default: {@link DownloadSettings#stagingDir()}, swept after a day). */
    public Builder setStaging(StagingArea staging) {
      if (!staging.dir().equals(settings.stagingDir().toAbsolutePath().normalize())) {
        throw new IllegalArgumentException(
            "staging area " + staging.dir() + " is not the download's staging dir " + settings.stagingDir());
      }
      this.staging = staging;
      return this;
    }

    /** The client for gs:// sources (default: application default credentials, created on the first gs:// source). */
    public Builder setGcsClient(com.google.cloud.storage.Storage gcs) {
      Objects.requireNonNull(gcs, "gcs");
      this.gcs = () -> gcs;
      return this;
    }

    /** How source host names are resolved before the SSRF checks (default: the system resolver). */
    public Builder setResolver(AddressGuard.Resolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    public DownloadActivitiesImpl build() {
      return new DownloadActivitiesImpl(this);
    }
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
    StagingArea.Part part = staging.part(jobId, source.fileName());
    long checkpoint = context.getHeartbeatDetails(Long.class).orElse(0L);
    Attempt attempt = new Attempt();
    try {
      Fetched fetched = fetch(context, source, request.sourceUri(), part, checkpoint, attempt);
      URI target = storage.jobUri(jobId, JobPaths.SOURCE + source.fileName());
      try {
        part.promote(storage, target);
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
        part.discard();
      }
    }
  }

  private Fetched fetch(
      ActivityExecutionContext context,
      Source source,
      String sourceUri,
      StagingArea.Part part,
      long heartbeatOffset,
      Attempt attempt)
      throws IOException {
    FileChannel opened = part.open();
    if (opened == null) {
      attempt.keepPart = true; // it belongs to the attempt still running
      throw Failures.transientFailure("another attempt is still downloading " + source.displayUri() + " on this worker");
    }
    try (FileChannel out = opened) {
      Checkpoint checkpoint = part.readCheckpoint(sourceUri, heartbeatOffset, out.size());
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
        part.writeCheckpoint(sourceUri, in.validator(), total);
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

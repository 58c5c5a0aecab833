package io.videopipe.download;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the download activity may fetch sources.
 *
 * @param maxBytes largest source accepted
 * @param allowLocalFiles whether {@code file://} URIs and plain paths are accepted (only where the worker's disk is the
 *     user's, i.e. the local all-in-one role)
 * @param allowPlainHttp whether unencrypted {@code http://} sources (and redirects to them) are accepted
 * @param stagingDir worker-local directory for partial downloads, kept between retries so they can resume
 * @param connectTimeout HTTP connect timeout
 * @param readTimeout longest wait for response headers or for the next bytes of a body
 * @param allowedHosts host names, IP addresses and CIDR ranges that sources may reach although they are loopback,
 *     private, link-local or otherwise internal (empty: none)
 * @param localRoots directories local file sources must lie in, after symbolic links and {@code ..} are resolved
 *     (empty: no local file is accepted)
 * @param allowedBuckets the only buckets gs:// sources may name (empty: any the worker's credentials can read)
 */
public record DownloadSettings(
    long maxBytes,
    boolean allowLocalFiles,
    boolean allowPlainHttp,
    Path stagingDir,
    Duration connectTimeout,
    Duration readTimeout,
    List<String> allowedHosts,
    List<Path> localRoots,
    List<String> allowedBuckets) {

  public static final long DEFAULT_MAX_BYTES = 20L * 1024 * 1024 * 1024;
  public static final Path DEFAULT_STAGING_DIR = Path.of("data", "work");
  public static final long DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
  public static final long DEFAULT_READ_TIMEOUT_SECONDS = 60;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(DEFAULT_READ_TIMEOUT_SECONDS);

  public DownloadSettings {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
    Objects.requireNonNull(stagingDir, "stagingDir");
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(readTimeout, "readTimeout");
    allowedHosts = List.copyOf(allowedHosts);
    localRoots = localRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    allowedBuckets = allowedBuckets == null ? List.of() : List.copyOf(allowedBuckets);
  }

  /**
   * The local all-in-one role: local files allowed under the working directory; internal hosts refused like
   * everywhere else.
   */
  public static DownloadSettings local() {
    return new DownloadSettings(
        DEFAULT_MAX_BYTES,
        true,
        false,
        DEFAULT_STAGING_DIR,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_READ_TIMEOUT,
        List.of(),
        List.of(Path.of("")),
        List.of());
  }

  /** Deployed worker roles: only https:// and gs:// sources. */
  public static DownloadSettings deployed() {
    return local().withAllowLocalFiles(false).withLocalRoots(List.of());
  }

  public DownloadSettings withMaxBytes(long value) {
    return new DownloadSettings(
        value, allowLocalFiles, allowPlainHttp, stagingDir, connectTimeout, readTimeout, allowedHosts, localRoots, allowedBuckets);
  }

  public DownloadSettings withAllowLocalFiles(boolean value) {
    return new DownloadSettings(
        maxBytes, value, allowPlainHttp, stagingDir, connectTimeout, readTimeout, allowedHosts, localRoots, allowedBuckets);
  }

  public DownloadSettings withAllowPlainHttp(boolean value) {
    return new DownloadSettings(
        maxBytes, allowLocalFiles, value, stagingDir, connectTimeout, readTimeout, allowedHosts, localRoots, allowedBuckets);
  }

  public DownloadSettings withStagingDir(Path value) {
    return new DownloadSettings(
        maxBytes, allowLocalFiles, allowPlainHttp, value, connectTimeout, readTimeout, allowedHosts, localRoots, allowedBuckets);
  }

  public DownloadSettings withConnectTimeout(Duration value) {
    return new DownloadSettings(
        maxBytes, allowLocalFiles, allowPlainHttp, stagingDir, value, readTimeout, allowedHosts, localRoots, allowedBuckets);
  }

  public DownloadSettings withReadTimeout(Duration value) {
    return new DownloadSettings(
        maxBytes, allowLocalFiles, allowPlainHttp, stagingDir, connectTimeout, value, allowedHosts, localRoots, allowedBuckets);
  }

  public DownloadSettings withAllowedHosts(List<String> value) {
    return new DownloadSettings(
        maxBytes, allowLocalFiles, allowPlainHttp, stagingDir, connectTimeout, readTimeout, value, localRoots, allowedBuckets);
  }

  public DownloadSettings withLocalRoots(List<Path> value) {
    return new DownloadSettings(
        maxBytes, allowLocalFiles, allowPlainHttp, stagingDir, connectTimeout, readTimeout, allowedHosts, value, allowedBuckets);
  }

  public DownloadSettings withAllowedBuckets(List<String> value) {
    return new DownloadSettings(
        maxBytes, allowLocalFiles, allowPlainHttp, stagingDir, connectTimeout, readTimeout, allowedHosts, localRoots,
        value);
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}

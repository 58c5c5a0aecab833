package io.videopipe.download;

import io.temporal.failure.ApplicationFailure;
import io.videopipe.net.AddressGuard;
import io.videopipe.net.AddressRefusedException;
import io.videopipe.pipeline.ErrorTypes;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Turns a source URI as a user gives it into a {@link Source}: the scheme rules (https://, gs://, and where the
 * settings allow them http:// and local files), the SSRF guard on the host, the local roots. The same rules refuse a
 * source at submit ({@link #admit}) and again at download, where the connection is checked once more.
 */
public final class SourceResolver {
  private final DownloadSettings settings;
  private final AddressGuard guard;
  private final OkHttpClient http;
  private final Supplier<com.google.cloud.storage.Storage> gcs;

  SourceResolver(
      DownloadSettings settings,
      AddressGuard guard,
      OkHttpClient http,
      Supplier<com.google.cloud.storage.Storage> gcs) {
    this.settings = settings;
    this.guard = guard;
    this.http = http;
    this.gcs = gcs;
  }

  /** For checks at submit: the same settings and guard as the download; never connects (GCS is never called). */
  public static SourceResolver forAdmission(DownloadSettings settings) {
    AddressGuard guard =
        new AddressGuard(settings.allowedHosts(), "source", DownloadActivitiesImpl.ALLOWED_HOSTS_SETTING);
    return new SourceResolver(
        settings,
        guard,
        HttpSource.client(guard, settings.connectTimeout(), settings.readTimeout()),
        () -> {
          throw new IllegalStateException("admission never reads from GCS");
        });
  }

  /**
   * Refuses a source the download would refuse without fetching it.
   *
   * @throws IllegalArgumentException naming the reason (and the setting to change, where one exists)
   */
  public void admit(String raw) {
    try {
      resolve(raw);
    } catch (ApplicationFailure f) {
      throw new IllegalArgumentException("sourceUrl refused: " + f.getOriginalMessage());
    }
  }

  Source resolve(String raw) {
    if (raw == null || raw.isBlank()) {
      throw Failures.invalid("source URI is empty");
    }
    String s = raw.strip();
    String display = SourceUris.redact(s);
    String scheme = SourceUris.scheme(s);
    if (scheme == null) {
      requireLocalFilesAllowed(display);
      try {
        return localSource(Path.of(s), display);
      } catch (InvalidPathException e) {
        throw Failures.invalid("not a valid local path: " + display);
      }
    }
    switch (scheme) {
      case "https":
        return httpSource(s, display);
      case "http":
        if (!settings.allowPlainHttp()) {
          throw Failures.notAllowed(
              "plain http sources are not allowed (use https, or set videopipe.download.allow-plain-http): " + display);
        }
        return httpSource(s, display);
      case "gs":
        return gcsSource(s, display);
      case "file":
        requireLocalFilesAllowed(display);
        Path path;
        try {
          path = Path.of(new URI(s));
        } catch (URISyntaxException | IllegalArgumentException e) {
          throw Failures.invalid("not a valid file URI: " + display);
        }
        return localSource(path, display);
      default:
        throw Failures.nonRetryable(
            ErrorTypes.UNSUPPORTED_SOURCE,
            "unsupported source scheme '"
                + scheme
                + "' in "
                + display
                + " (supported: https://, gs://"
                + (settings.allowPlainHttp() ? ", http://" : "")
                + (settings.allowLocalFiles() ? ", file://, local paths" : "")
                + ")");
    }
  }

  private void requireLocalFilesAllowed(String display) {
    if (!settings.allowLocalFiles()) {
      throw Failures.notAllowed(
          "local file sources are not allowed here (set videopipe.download.allow-local-files): " + display);
    }
  }

  private Source localSource(Path path, String display) {
    return new LocalFileSource(path, LocalRoots.check(path, settings.localRoots(), display));
  }

  private Source httpSource(String s, String display) {
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw Failures.invalid("not a valid URI: " + display);
    }
    // The host as OkHttp will connect to it; java.net.URI gives none for numeric forms such as http://2130706433/.
    HttpUrl url = HttpUrl.parse(s);
    if (url == null || url.host().isEmpty()) {
      throw Failures.invalid("source URI has no host: " + display);
    }
    if (uri.getRawUserInfo() != null || !url.username().isEmpty() || !url.password().isEmpty()) {
      throw Failures.invalid("credentials in the URI are not supported (use a signed URL): " + display);
    }
    try {
      guard.checkHost(url.host());
    } catch (AddressRefusedException e) {
      throw Failures.notAllowed(e.getMessage());
    }
    return new HttpSource(http, guard, url, uri, settings.readTimeout(), settings.allowPlainHttp());
  }

  private Source gcsSource(String s, String display) {
    // gsutil-style, not percent-encoded: gs://bucket/any/object name
    String rest = s.substring("gs://".length());
    int slash = rest.indexOf('/');
    if (!s.regionMatches(true, 0, "gs://", 0, 5) || slash <= 0 || slash == rest.length() - 1 || rest.endsWith("/")) {
      throw Failures.invalid("a gs:// source must name an object, gs://bucket/object: " + display);
    }
    String bucket = rest.substring(0, slash);
    if (!settings.allowedBuckets().isEmpty() && !settings.allowedBuckets().contains(bucket)) {
      throw Failures.notAllowed(
          "gs:// bucket '" + bucket + "' is not one sources may come from (set videopipe.download.allowed-buckets): "
              + display);
    }
    return new GcsSource(gcs, bucket, rest.substring(slash + 1));
  }

}

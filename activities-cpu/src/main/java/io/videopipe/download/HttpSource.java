package io.videopipe.download;

import io.temporal.failure.ApplicationFailure;
import io.videopipe.pipeline.ErrorTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An https:// (or allowed http://) source, streamed with the JDK client; resumes with Range + If-Range. */
final class HttpSource implements Source {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

  private final HttpClient client;
  private final URI uri;
  private final String displayUri;
  private final Duration responseTimeout;
  private final boolean allowPlainHttp;

  HttpSource(HttpClient client, URI uri, Duration responseTimeout, boolean allowPlainHttp) {
    this.client = client;
    this.uri = uri;
    this.displayUri = SourceUris.redact(uri.toString());
    this.responseTimeout = responseTimeout;
    this.allowPlainHttp = allowPlainHttp;
  }

  @Override
  public String displayUri() {
    return displayUri;
  }

  @Override
  public String fileName() {
    return SourceUris.fileName(uri.getPath());
  }

  @Override
  public SourceStream open(Checkpoint checkpoint) throws IOException {
    if (checkpoint.offset() > 0) {
      HttpResponse<InputStream> response = send(checkpoint);
      int code = response.statusCode();
      if (code == 206) {
        long[] range = contentRange(response.headers());
        boolean linesUp =
            range != null
                && range[0] == checkpoint.offset()
                && (checkpoint.totalSize() < 0 || range[2] < 0 || range[2] == checkpoint.totalSize());
        if (linesUp) {
          String validator = validator(response.headers());
          return new SourceStream(
              response.body(), checkpoint.offset(), range[2], validator != null ? validator : checkpoint.validator(), true);
        }
        response.body().close();
      } else if (code == 200) {
        // The server ignored the range, or If-Range saw a new version: this body is the whole source.
        return fromStart(response);
      } else if (code == 416) {
        response.body().close();
      } else {
        throw classify(response);
      }
    }
    HttpResponse<InputStream> response = send(Checkpoint.NONE);
    if (response.statusCode() == 200) {
      return fromStart(response);
    }
    throw classify(response);
  }

  private SourceStream fromStart(HttpResponse<InputStream> response) {
    HttpHeaders headers = response.headers();
    long length = headers.firstValueAsLong("Content-Length").orElse(-1);
    boolean ranges = headers.firstValue("Accept-Ranges").map(v -> v.toLowerCase(Locale.ROOT).contains("bytes")).orElse(false);
    return new SourceStream(response.body(), 0, length, validator(headers), ranges);
  }

  private HttpResponse<InputStream> send(Checkpoint checkpoint) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).GET().timeout(responseTimeout).header("Accept-Encoding", "identity");
    if (checkpoint.offset() > 0) {
      request.header("Range", "bytes=" + checkpoint.offset() + "-");
      if (checkpoint.validator() != null) {
        request.header("If-Range", checkpoint.validator());
      }
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw Failures.transientFailure(
          "no response from source " + displayUri + " within " + responseTimeout.toMillis() + " ms");
    } catch (IOException e) {
      // JDK messages name host and port at most; the cause is kept out so no URI query can leak through it.
      throw Failures.transientFailure(
          "cannot fetch source " + displayUri + ": " + e.getClass().getSimpleName() + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.transientFailure("interrupted while fetching source " + displayUri);
    }
  }

  private ApplicationFailure classify(HttpResponse<InputStream> response) throws IOException {
    response.body().close();
    int code = response.statusCode();
    String status = "HTTP " + code;
    if (code == 404 || code == 410) {
      return Failures.notFound("source not found: " + displayUri + " answered " + status);
    }
    if (code == 401 || code == 403) {
      return Failures.notAllowed("access to source " + displayUri + " was denied (" + status + ")");
    }
    if (code == 408 || code == 425 || code == 429 || code >= 500) {
      return Failures.transientFailure("source " + displayUri + " answered " + status + "; will retry");
    }
    if (code == 204) {
      return Failures.nonRetryable(ErrorTypes.SOURCE_EMPTY, "source " + displayUri + " is empty (" + status + ")");
    }
    if (code >= 300 && code < 400) {
      String location = response.headers().firstValue("Location").orElse("");
      if (!allowPlainHttp && location.regionMatches(true, 0, "http:", 0, 5)) {
        return Failures.notAllowed(
            "source " + displayUri + " redirects to plain http (" + SourceUris.redact(location) + "), which is not allowed");
      }
      return Failures.invalid("source " + displayUri + " answered " + status + " with a redirect that cannot be followed");
    }
    return Failures.invalid("source " + displayUri + " answered " + status);
  }

  /** A strong ETag, else Last-Modified: what If-Range accepts. */
  private static String validator(HttpHeaders headers) {
    String etag = headers.firstValue("ETag").orElse(null);
    if (etag != null && !etag.startsWith("W/")) {
      return etag;
    }
    return headers.firstValue("Last-Modified").orElse(null);
  }

  /** {start, end, total} from Content-Range, total -1 when "*"; null if absent or malformed. */
  private static long[] contentRange(HttpHeaders headers) {
    String value = headers.firstValue("Content-Range").orElse(null);
    if (value == null) {
      return null;
    }
    Matcher m = CONTENT_RANGE.matcher(value.trim());
    if (!m.matches()) {
      return null;
    }
    long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), total};
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? "" : " " + e.getMessage();
  }
}

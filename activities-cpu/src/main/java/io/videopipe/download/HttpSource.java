package io.videopipe.download;

import io.temporal.failure.ApplicationFailure;
import io.videopipe.net.AddressGuard;
import io.videopipe.net.GuardedHttpClient;
import io.videopipe.net.AddressRefusedException;
import io.videopipe.pipeline.ErrorTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * An https:// (or allowed http://) source, streamed with OkHttp; resumes with Range + If-Range. Every host, the first
 * and each redirect target, goes through the {@link AddressGuard}: names resolve only to the addresses it checked, and
 * the address each connection actually uses is checked again, so DNS rebinding cannot reach an internal address.
 */
final class HttpSource implements Source {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
  private static final int MAX_REDIRECTS = 10;

  private final OkHttpClient client;
  private final AddressGuard guard;
  private final HttpUrl url;
  private final URI uri;
  private final String displayUri;
  private final Duration responseTimeout;
  private final boolean allowPlainHttp;

  HttpSource(
      OkHttpClient client, AddressGuard guard, HttpUrl url, URI uri, Duration responseTimeout, boolean allowPlainHttp) {
    this.client = client;
    this.guard = guard;
    this.url = url;
    this.uri = uri;
    this.displayUri = SourceUris.redact(uri.toString());
    this.responseTimeout = responseTimeout;
    this.allowPlainHttp = allowPlainHttp;
  }

  /**
   * The client for guarded sources: no proxy (the guard must see the real peer), HTTP/1.1 (one long sequential stream;
   * HTTP/2 flow-control windows would throttle it), redirects followed by {@link HttpSource} itself.
   */
  static OkHttpClient client(AddressGuard guard, Duration connectTimeout, Duration readTimeout) {
    return GuardedHttpClient.builder(guard)
        .connectTimeout(connectTimeout)
        .readTimeout(readTimeout)
        .build();
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
      Response response = send(checkpoint);
      int code = response.code();
      if (code == 206) {
        long[] range = contentRange(response.headers());
        boolean linesUp =
            range != null
                && range[0] == checkpoint.offset()
                && (checkpoint.totalSize() < 0 || range[2] < 0 || range[2] == checkpoint.totalSize());
        if (linesUp) {
          String validator = validator(response.headers());
          return new SourceStream(
              body(response), checkpoint.offset(), range[2], validator != null ? validator : checkpoint.validator(), true);
        }
        response.close();
      } else if (code == 200) {
        // The server ignored the range, or If-Range saw a new version: this body is the whole source.
        return fromStart(response);
      } else if (code == 416) {
        response.close();
      } else {
        throw classify(response);
      }
    }
    Response response = send(Checkpoint.NONE);
    if (response.code() == 200) {
      return fromStart(response);
    }
    throw classify(response);
  }

  private SourceStream fromStart(Response response) {
    Headers headers = response.headers();
    long length = parseLong(headers.get("Content-Length"));
    String acceptRanges = headers.get("Accept-Ranges");
    boolean ranges = acceptRanges != null && acceptRanges.toLowerCase(Locale.ROOT).contains("bytes");
    return new SourceStream(body(response), 0, length, validator(headers), ranges);
  }

  private static InputStream body(Response response) {
    ResponseBody body = response.body();
    return body == null ? InputStream.nullInputStream() : body.byteStream();
  }

  /** Sends the request, following redirects after checking each target's scheme and host. */
  private Response send(Checkpoint checkpoint) {
    HttpUrl current = url;
    for (int redirects = 0; ; redirects++) {
      Response response = call(current, checkpoint);
      String location = response.isRedirect() ? response.header("Location") : null;
      if (location == null) {
        return response;
      }
      HttpUrl next = current.resolve(location);
      response.close();
      if (next == null) {
        throw Failures.invalid(
            "source " + displayUri + " redirects to " + SourceUris.redact(location) + ", which cannot be followed");
      }
      String shownNext = SourceUris.redact(next.toString());
      if (!allowPlainHttp && !next.isHttps()) {
        throw Failures.notAllowed(
            "source " + displayUri + " redirects to plain http (" + shownNext + "), which is not allowed");
      }
      if (redirects >= MAX_REDIRECTS) {
        throw Failures.invalid("source " + displayUri + " redirected more than " + MAX_REDIRECTS + " times");
      }
      try {
        guard.checkHost(next.host());
      } catch (AddressRefusedException e) {
        throw Failures.notAllowed("source " + displayUri + " redirects to " + shownNext + ": " + e.getMessage());
      }
      current = next;
    }
  }

  private Response call(HttpUrl target, Checkpoint checkpoint) {
    Request.Builder request = new Request.Builder().url(target).get().header("Accept-Encoding", "identity");
    if (checkpoint.offset() > 0) {
      request.header("Range", "bytes=" + checkpoint.offset() + "-");
      if (checkpoint.validator() != null) {
        request.header("If-Range", checkpoint.validator());
      }
    }
    String shown =
        target.equals(url)
            ? displayUri
            : displayUri + " (redirected to " + SourceUris.redact(target.toString()) + ")";
    try {
      return client.newCall(request.build()).execute();
    } catch (AddressRefusedException e) {
      throw Failures.notAllowed("cannot fetch source " + shown + ": " + e.getMessage());
    } catch (SocketTimeoutException e) {
      throw Failures.transientFailure(
          "no response from source " + shown + " within " + responseTimeout.toMillis() + " ms");
    } catch (IOException e) {
      AddressRefusedException refused = refusal(e);
      if (refused != null) {
        throw Failures.notAllowed("cannot fetch source " + shown + ": " + refused.getMessage());
      }
      // Messages name host and port at most; the cause is kept out so no URI query can leak through it.
      throw Failures.transientFailure(
          "cannot fetch source " + shown + ": " + e.getClass().getSimpleName() + describe(e));
    }
  }

  /** A refusal wrapped or suppressed by the client's retries. */
  private static AddressRefusedException refusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AddressRefusedException r) {
        return r;
      }
      for (Throwable s : t.getSuppressed()) {
        if (s instanceof AddressRefusedException r) {
          return r;
        }
      }
    }
    return null;
  }

  private ApplicationFailure classify(Response response) {
    response.close();
    int code = response.code();
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
      return Failures.invalid("source " + displayUri + " answered " + status + " with a redirect that cannot be followed");
    }
    return Failures.invalid("source " + displayUri + " answered " + status);
  }

  /** A strong ETag, else Last-Modified: what If-Range accepts. */
  private static String validator(Headers headers) {
    String etag = headers.get("ETag");
    if (etag != null && !etag.startsWith("W/")) {
      return etag;
    }
    return headers.get("Last-Modified");
  }

  /** {start, end, total} from Content-Range, total -1 when "*"; null if absent or malformed. */
  private static long[] contentRange(Headers headers) {
    String value = headers.get("Content-Range");
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

  private static long parseLong(String value) {
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? "" : " " + e.getMessage();
  }
}

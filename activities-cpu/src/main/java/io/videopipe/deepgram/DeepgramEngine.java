package io.videopipe.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.TranscriptionEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deepgram's pre-recorded API as a transcription engine of the CPU queue: {@code POST {base}/v1/listen} with the WAV
 * streamed from disk as the body, or, for {@code gs://} audio when a signer is configured, {@code {"url": <signed
 * URL>}}.
 *
 * <p>Failures: 400, 401, 402, 403, 413 and "corrupt or unsupported data" fail non-retryably with Deepgram's {@code
 * err_msg} ({@link #REJECTED}, {@link #UNAUTHORIZED}); 408, 429, 5xx, timeouts and broken connections are retried here
 * up to {@link DeepgramSettings#attempts()} times with exponential backoff and jitter, honouring {@code Retry-After},
 * and then fail retryably ({@link #UNAVAILABLE}) with the wait as Temporal's next retry delay. At most {@link
 * DeepgramSettings#maxConcurrentRequests()} requests of this worker are in flight at once. The API key goes into the
 * Authorization header only: it is never logged nor put in a failure message.
 */
public final class DeepgramEngine implements TranscriptionEngine, AutoCloseable {
  /** Deepgram refused the audio or the request (400, 413, other 4xx, corrupt data); retrying cannot help. */
  public static final String REJECTED = "DeepgramRejected";
  /** The key is wrong, out of credit or not allowed (401, 402, 403). */
  public static final String UNAUTHORIZED = "DeepgramUnauthorized";
  /** Rate limited, server error or timeout after every request of one activity attempt; Temporal retries it. */
  public static final String UNAVAILABLE = "DeepgramUnavailable";

  static final String CORRUPT = "corrupt or unsupported data";
  private static final MediaType WAV = MediaType.get("audio/wav");
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final long POLL_MS = 250;
  /** Share of the progress the upload stands for; the rest is Deepgram's processing. */
  private static final double UPLOAD_SHARE = 0.9;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(DeepgramEngine.class);

  private final DeepgramSettings settings;
  private final AudioUrlSigner signer;
  private final OkHttpClient http;
  private final Semaphore permits;

  /**
   * @param signer signs {@code gs://} audio for the URL mode; null sends every file as the request body
   */
  public DeepgramEngine(DeepgramSettings settings, AudioUrlSigner signer) {
    this.settings = settings;
    this.signer = signer;
    this.permits = new Semaphore(settings.maxConcurrentRequests(), true);
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(settings.maxConcurrentRequests());
    dispatcher.setMaxRequestsPerHost(settings.maxConcurrentRequests());
    this.http =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectTimeout(settings.connectTimeout())
            .readTimeout(settings.readTimeout())
            .writeTimeout(settings.readTimeout())
            // Retries are ours: counted, backed off and reported.
            .retryOnConnectionFailure(false)
            .build();
  }

  public DeepgramSettings settings() {
    return settings;
  }

  /** Permits left of the per-worker request cap. */
  public int availablePermits() {
    return permits.availablePermits();
  }

  @Override
  public Availability availability() {
    if (!settings.hasKey()) {
      return new Availability(false, "Deepgram has no API key on this worker (DEEPGRAM_API_KEY is not set)");
    }
    return new Availability(true, "Deepgram " + settings.model() + " at " + settings.baseUrl());
  }

  @Override
  public Transcript transcribe(Path wav, String language, ProgressListener progress) throws Exception {
    long size = Files.size(wav);
    AtomicLong sent = new AtomicLong();
    return listen(() -> new FileBody(wav, size, sent), language, progress, () -> fraction(sent.get(), size));
  }

  @Override
  public Optional<Transcript> transcribeRemote(URI audio, String language, ProgressListener progress)
      throws Exception {
    if (signer == null || !"gs".equals(audio.getScheme())) {
      return Optional.empty();
    }
    Optional<String> url = signer.sign(audio, settings.signedUrlTtl());
    if (url.isEmpty()) {
      return Optional.empty();
    }
    byte[] body = JSON.writeValueAsBytes(Map.of("url", url.get()));
    return Optional.of(listen(() -> RequestBody.create(body, JSON_TYPE), language, progress, () -> UPLOAD_SHARE));
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  HttpUrl listenUrl(String language) {
    HttpUrl base = HttpUrl.parse(settings.baseUrl());
    if (base == null) {
      throw new IllegalArgumentException("not an http(s) URL: DEEPGRAM_BASE_URL=" + settings.baseUrl());
    }
    HttpUrl.Builder url =
        base.newBuilder()
            .addPathSegments("v1/listen")
            .addQueryParameter("model", settings.model())
            .addQueryParameter("smart_format", "true")
            .addQueryParameter("punctuate", "true")
            .addQueryParameter("utterances", "true");
    if (settings.diarize() != null) {
      url.addQueryParameter("diarize", settings.diarize().toString());
    }
    if (language != null && !language.isBlank()) {
      url.addQueryParameter("language", language);
    }
    return url.build();
  }

  private Transcript listen(
      Supplier<RequestBody> body, String language, ProgressListener progress, Supplier<Double> uploaded)
      throws Exception {
    ProgressListener listener = progress == null ? fraction -> {} : progress;
    HttpUrl url = listenUrl(language);
    for (int attempt = 1; ; attempt++) {
      Request request =
          new Request.Builder()
              .url(url)
              .header("Authorization", "Token " + settings.apiKey())
              .header("Accept", "application/json")
              .post(body.get())
              .build();
      try {
        Transcript transcript = send(request, language, listener, uploaded);
        listener.onProgress(1.0);
        return transcript;
      } catch (RetryableAnswer answer) {
        Duration wait = answer.retryAfter != null ? answer.retryAfter : backoff(attempt);
        if (attempt >= settings.attempts() || wait.compareTo(settings.maxBackoff()) > 0) {
          throw ApplicationFailure.newFailureWithCauseAndDelay(
              "Deepgram unavailable after " + attempt + " request(s): " + answer.getMessage(), UNAVAILABLE, null,
              wait);
        }
        log.warn("Deepgram request {} of {} failed ({}); retrying in {} ms", attempt, settings.attempts(),
            answer.getMessage(), wait.toMillis());
        pause(wait, listener, uploaded);
      }
    }
  }

  /** One request under the per-worker cap; heartbeats while it waits for a permit, uploads and awaits the answer. */
  private Transcript send(Request request, String language, ProgressListener progress, Supplier<Double> uploaded)
      throws Exception {
    while (!permits.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
      progress.onProgress(0.0);
    }
    try {
      Call call = http.newCall(request);
      CompletableFuture<Answer> answer = new CompletableFuture<>();
      call.enqueue(
          new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
              answer.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call c, Response response) {
              try (response) {
                answer.complete(new Answer(response.code(), response.body().string(), retryAfter(response)));
              } catch (IOException | RuntimeException e) {
                answer.completeExceptionally(e);
              }
            }
          });
      Answer a;
      try {
        a = await(answer, progress, uploaded);
      } catch (InterruptedException | RuntimeException e) {
        call.cancel();
        throw e;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw new RetryableAnswer(
            "no answer from Deepgram: " + redact(cause.getClass().getSimpleName() + ": " + cause.getMessage()), null);
      }
      return read(a, language);
    } finally {
      permits.release();
    }
  }

  private static Answer await(
      CompletableFuture<Answer> answer, ProgressListener progress, Supplier<Double> uploaded)
      throws InterruptedException, ExecutionException {
    while (true) {
      try {
        return answer.get(POLL_MS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // Heartbeats; throws when the activity was cancelled.
        progress.onProgress(uploaded.get() * UPLOAD_SHARE);
      }
    }
  }

  private Transcript read(Answer a, String language) throws RetryableAnswer {
    JsonNode json = null;
    try {
      json = a.body.isBlank() ? null : JSON.readTree(a.body);
    } catch (IOException e) {
      // An error page that is not JSON; reported as text below.
    }
    if (a.code >= 200 && a.code < 300) {
      if (json == null) {
        throw new RetryableAnswer("HTTP " + a.code + " without a JSON body", null);
      }
      Transcript transcript = DeepgramResponse.parse(json, language);
      log.info("Deepgram request_id={} billed duration={} s, {} words",
          transcript.metadata().get(DeepgramResponse.REQUEST_ID),
          transcript.metadata().get(DeepgramResponse.DURATION), transcript.words().size());
      return transcript;
    }
    String message = redact(DeepgramResponse.errorMessage(json, a.body));
    String requestId = json == null ? null : json.path("request_id").asText(null);
    String described =
        "HTTP " + a.code + (requestId == null ? "" : ", request_id " + requestId) + ": " + message;
    boolean corrupt = message.toLowerCase(Locale.ROOT).contains(CORRUPT);
    if (a.code == 401 || a.code == 402 || a.code == 403) {
      throw ApplicationFailure.newNonRetryableFailure("Deepgram refused the key (" + described + ")", UNAUTHORIZED);
    }
    if (corrupt || (a.code >= 400 && a.code < 500 && a.code != 408 && a.code != 429)) {
      throw ApplicationFailure.newNonRetryableFailure("Deepgram rejected the audio (" + described + ")", REJECTED);
    }
    throw new RetryableAnswer(described, a.retryAfter);
  }

  private void pause(Duration wait, ProgressListener progress, Supplier<Double> uploaded)
      throws InterruptedException {
    long until = System.nanoTime() + wait.toNanos();
    long left;
    while ((left = until - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MS)));
      progress.onProgress(0.0);
    }
  }

  /** Exponential backoff with equal jitter: half the step fixed, half random. */
  Duration backoff(int attempt) {
    long initial = settings.initialBackoff().toMillis();
    long step = Math.min(settings.maxBackoff().toMillis(), initial << Math.min(attempt - 1, 20));
    long half = Math.max(1, step / 2);
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  /** Retry-After as seconds or as an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(Response response) {
    String value = response.header("Retry-After");
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Duration.ofMillis(Math.round(Double.parseDouble(value.trim()) * 1000));
    } catch (NumberFormatException e) {
      Date date = response.headers().getDate("Retry-After");
      return date == null ? null : Duration.ofMillis(Math.max(0, date.getTime() - System.currentTimeMillis()));
    }
  }

  private String redact(String text) {
    return settings.hasKey() && text != null ? text.replace(settings.apiKey(), "[redacted]") : text;
  }

  private static double fraction(long done, long total) {
    return total <= 0 ? 0 : Math.min(1.0, (double) done / total);
  }

  private record Answer(int code, String body, Duration retryAfter) {}

  /** A 408, 429, 5xx or lost connection: worth another request. */
  private static final class RetryableAnswer extends Exception {
    final Duration retryAfter;

    RetryableAnswer(String message, Duration retryAfter) {
      super(message, null, false, false);
      this.retryAfter = retryAfter;
    }
  }

  /** The WAV streamed from disk in 64 KiB reads with a fixed Content-Length; counts the bytes sent. */
  private static final class FileBody extends RequestBody {
    private final Path file;
    private final long size;
    private final AtomicLong sent;

    FileBody(Path file, long size, AtomicLong sent) {
      this.file = file;
      this.size = size;
      this.sent = sent;
    }

    @Override
    public MediaType contentType() {
      return WAV;
    }

    @Override
    public long contentLength() {
      return size;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      sent.set(0);
      try (InputStream in = Files.newInputStream(file);
          Source source = Okio.source(in)) {
        long n;
        while ((n = source.read(sink.getBuffer(), 64 * 1024)) != -1) {
          sink.emit();
          sent.addAndGet(n);
        }
      }
    }
  }
}

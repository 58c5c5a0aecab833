package io.videopipe.deepgram;

import static io.videopipe.deepgram.DeepgramFixtures.KEY;
import static io.videopipe.deepgram.DeepgramFixtures.error;
import static io.videopipe.deepgram.DeepgramFixtures.ok;
import static io.videopipe.deepgram.DeepgramFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.Utterance;
import io.videopipe.transcribe.Word;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeepgramEngineTest {
  @TempDir static Path dir;
  static Path wav;

  MockWebServer server;
  DeepgramEngine engine;
  final List<Double> progress = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void writeAudio() throws Exception {
    // 60 s of 16 kHz mono: 1.92 MB, several socket buffers, so the body really streams.
    wav = DeepgramFixtures.wav(dir.resolve("audio.wav"), 60);
  }

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    engine = new DeepgramEngine(settings(server), null);
  }

  @AfterEach
  void stop() throws Exception {
    engine.close();
    server.shutdown();
  }

  @Test
  void sendsTheWavStreamedWithQueryAndAuthAndParsesTheAnswer() throws Exception {
    engine.close();
    engine = new DeepgramEngine(settings(server).withDiarize(true), null);
    server.enqueue(ok());

    Transcript t = engine.transcribe(wav, "en", progress::add);

    RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("POST");
    HttpUrl url = request.getRequestUrl();
    assertThat(url.encodedPath()).isEqualTo("/v1/listen");
    assertThat(url.queryParameter("model")).isEqualTo("nova-3");
    assertThat(url.queryParameter("smart_format")).isEqualTo("true");
    assertThat(url.queryParameter("punctuate")).isEqualTo("true");
    assertThat(url.queryParameter("utterances")).isEqualTo("true");
    assertThat(url.queryParameter("diarize")).isEqualTo("true");
    assertThat(url.queryParameter("language")).isEqualTo("en");
    assertThat(request.getHeader("Authorization")).isEqualTo("Token " + KEY);
    assertThat(request.getHeader("Content-Type")).isEqualTo("audio/wav");
    long size = Files.size(wav);
    // A fixed Content-Length (not chunked) from the file's size, and exactly the file's bytes on the wire.
    assertThat(request.getHeader("Content-Length")).isEqualTo(Long.toString(size));
    assertThat(request.getBodySize()).isEqualTo(size);
    assertThat(sha256(request.getBody().readByteArray())).isEqualTo(sha256(Files.readAllBytes(wav)));

    assertThat(t.engine()).isEqualTo("deepgram");
    assertThat(t.durationSec()).isEqualTo(4.25);
    assertThat(t.words()).extracting(Word::text).containsExactly("Hello", "world.", "The", "pipeline", "works.");
    assertThat(t.text()).isEqualTo("Hello world. The pipeline works.");
    Word pipeline = t.words().get(3);
    assertThat(pipeline.start()).isEqualTo(1.76);
    assertThat(pipeline.end()).isEqualTo(2.32);
    assertThat(pipeline.confidence()).isEqualTo(0.91);
    assertThat(pipeline.speaker()).isEqualTo(1);
    assertThat(t.words().get(0).speaker()).isEqualTo(0);
    assertThat(t.meanConfidence()).isCloseTo((0.99 + 0.98 + 0.95 + 0.91 + 0.89) / 5, within(1e-9));
    assertThat(t.utterances())
        .extracting(Utterance::speaker, Utterance::text)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, "Hello world."),
            org.assertj.core.groups.Tuple.tuple(1, "The pipeline works."));
    assertThat(t.metadata())
        .containsEntry("request_id", "6b7a8c42-1f0e-4f4a-9d5e-2c1b0a9e8d7f")
        .containsEntry("duration", "4.25");
    assertThat(progress).isNotEmpty().last().isEqualTo(1.0);
  }

  @Test
  void leavesDiarizeOutUnlessConfiguredAndTheLanguageWhenBlank() throws Exception {
    server.enqueue(ok());

    engine.transcribe(wav, "", null);

    HttpUrl url = server.takeRequest().getRequestUrl();
    assertThat(url.queryParameterNames()).containsExactlyInAnyOrder("model", "smart_format", "punctuate", "utterances");
  }

  @Test
  void rateLimitedThenAnsweredHonoursRetryAfter() throws Exception {
    server.enqueue(error(429, "TOO_MANY_REQUESTS", "Too many requests").setHeader("Retry-After", "1"));
    server.enqueue(ok());

    long started = System.nanoTime();
    Transcript t = engine.transcribe(wav, "en", progress::add);
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(t.words()).hasSize(5);
    assertThat(server.getRequestCount()).isEqualTo(2);
    // Backoff alone would wait 10-20 ms; the server asked for a second.
    assertThat(elapsedMs).isGreaterThanOrEqualTo(1000);
    assertThat(server.takeRequest().getBodySize()).isEqualTo(Files.size(wav));
    assertThat(server.takeRequest().getBodySize()).as("the retry sends the whole file again").isEqualTo(Files.size(wav));
  }

  @Test
  void serverErrorStormThenSuccess() throws Exception {
    server.enqueue(error(500, "INTERNAL_SERVER_ERROR", "internal error"));
    server.enqueue(error(502, "BAD_GATEWAY", "bad gateway"));
    server.enqueue(error(503, "SERVICE_UNAVAILABLE", "unavailable"));
    server.enqueue(ok());

    Transcript t = engine.transcribe(wav, "en", progress::add);

    assertThat(t.words()).hasSize(5);
    assertThat(server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void serverErrorsBeyondTheAttemptsFailRetryablyWithANextRetryDelay() {
    for (int i = 0; i < 4; i++) {
      server.enqueue(error(503, "SERVICE_UNAVAILABLE", "try later"));
    }

    ApplicationFailure f = catchThrowableOfType(() -> engine.transcribe(wav, "en", null), ApplicationFailure.class);

    assertThat(f.getType()).isEqualTo(DeepgramEngine.UNAVAILABLE);
    assertThat(f.isNonRetryable()).isFalse();
    assertThat(f.getOriginalMessage()).contains("4 request(s)", "HTTP 503", "try later");
    assertThat(f.getNextRetryDelay()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(3));
    assertThat(server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void aLongRetryAfterIsHandedToTemporalAtOnce() {
    server.enqueue(error(429, "TOO_MANY_REQUESTS", "Too many requests").setHeader("Retry-After", "120"));

    ApplicationFailure f = catchThrowableOfType(() -> engine.transcribe(wav, "en", null), ApplicationFailure.class);

    assertThat(f.getType()).isEqualTo(DeepgramEngine.UNAVAILABLE);
    assertThat(f.isNonRetryable()).isFalse();
    assertThat(f.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(120));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void badRequestFailsAtOnceWithErrMsg() {
    server.enqueue(
        error(400, "Bad Request", "Bad Request: failed to process audio: corrupt or unsupported data"));

    ApplicationFailure f = catchThrowableOfType(() -> engine.transcribe(wav, "en", null), ApplicationFailure.class);

    assertThat(f.getType()).isEqualTo(DeepgramEngine.REJECTED);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage())
        .contains("HTTP 400", "corrupt or unsupported data", "request_id 0d4c1e2f-aaaa-bbbb-cccc-123456789abc");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void corruptDataIsNotRetriedWhateverTheStatus() {
    server.enqueue(error(500, "Bad Request", "failed to process audio: corrupt or unsupported data"));

    ApplicationFailure f = catchThrowableOfType(() -> engine.transcribe(wav, "en", null), ApplicationFailure.class);

    assertThat(f.isNonRetryable()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void keyAndCreditFailuresAreNotRetriedAndNeverShowTheKey() {
    for (int code : new int[] {401, 402, 403}) {
      server.enqueue(error(code, "INVALID_AUTH", "Invalid credentials: " + KEY));
    }
    for (int code : new int[] {401, 402, 403}) {
      ApplicationFailure f = catchThrowableOfType(() -> engine.transcribe(wav, "en", null), ApplicationFailure.class);
      assertThat(f.getType()).as("HTTP " + code).isEqualTo(DeepgramEngine.UNAUTHORIZED);
      assertThat(f.isNonRetryable()).isTrue();
      assertThat(f.getOriginalMessage()).contains("HTTP " + code, "Invalid credentials").doesNotContain(KEY);
    }
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void payloadTooLargeIsNotRetried() {
    server.enqueue(error(413, "PAYLOAD_TOO_LARGE", "Payload too large"));

    ApplicationFailure f = catchThrowableOfType(() -> engine.transcribe(wav, "en", null), ApplicationFailure.class);

    assertThat(f.getType()).isEqualTo(DeepgramEngine.REJECTED);
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage()).contains("Payload too large");
  }

  @Test
  void timeoutIsRetried() throws Exception {
    engine.close();
    engine = new DeepgramEngine(settings(server).withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500)), null);
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    server.enqueue(ok());

    Transcript t = engine.transcribe(wav, "en", progress::add);

    assertThat(t.words()).hasSize(5);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void neverMoreRequestsInFlightThanTheCap() throws Exception {
    engine.close();
    engine = new DeepgramEngine(settings(server).withMaxConcurrentRequests(2), null);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Thread.sleep(150);
            inFlight.decrementAndGet();
            return ok();
          }
        });
    ExecutorService jobs = Executors.newFixedThreadPool(6);
    try {
      List<Future<Transcript>> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        results.add(jobs.submit(() -> engine.transcribe(wav, "en", null)));
      }
      for (Future<Transcript> r : results) {
        assertThat(r.get(30, TimeUnit.SECONDS).words()).hasSize(5);
      }
    } finally {
      jobs.shutdownNow();
    }
    assertThat(server.getRequestCount()).isEqualTo(6);
    assertThat(most.get()).isEqualTo(2);
    assertThat(engine.availablePermits()).isEqualTo(2);
  }

  @Test
  void cancellationDuringTheRequestStopsItAndReturnsThePermit() throws Exception {
    server.enqueue(ok().setHeadersDelay(1500, TimeUnit.MILLISECONDS));
    RuntimeException cancelled = new RuntimeException("activity cancelled");

    RuntimeException thrown =
        catchThrowableOfType(
            () ->
                engine.transcribe(
                    wav,
                    "en",
                    fraction -> {
                      if (server.getRequestCount() > 0) {
                        throw cancelled;
                      }
                    }),
            RuntimeException.class);

    assertThat(thrown).isSameAs(cancelled);
    assertThat(engine.availablePermits()).isEqualTo(DeepgramSettings.DEFAULT_MAX_CONCURRENT_REQUESTS);
  }

  @Test
  void gsAudioIsSentAsASignedUrl() throws Exception {
    engine.close();
    List<URI> signed = new CopyOnWriteArrayList<>();
    engine =
        new DeepgramEngine(
            settings(server),
            (audio, ttl) -> {
              signed.add(audio);
              return Optional.of(
                  "https://storage.googleapis.com/bucket/jobs/j1/audio/audio.wav?X-Goog-Signature=abc&X-Goog-Expires="
                      + ttl.toSeconds());
            });
    server.enqueue(ok());

    Optional<Transcript> t =
        engine.transcribeRemote(URI.create("gs://bucket/jobs/j1/audio/audio.wav"), "en", progress::add);

    assertThat(t).isPresent();
    assertThat(t.get().words()).hasSize(5);
    RecordedRequest request = server.takeRequest();
    assertThat(request.getHeader("Content-Type")).startsWith("application/json");
    assertThat(request.getHeader("Authorization")).isEqualTo("Token " + KEY);
    assertThat(new ObjectMapper().readTree(request.getBody().readUtf8()).path("url").asText())
        .isEqualTo("https://storage.googleapis.com/bucket/jobs/j1/audio/audio.wav?X-Goog-Signature=abc&X-Goog-Expires=3600");
    assertThat(signed).containsExactly(URI.create("gs://bucket/jobs/j1/audio/audio.wav"));
  }

  @Test
  void localAudioOrNoSignerMeansNoUrlMode() throws Exception {
    assertThat(engine.transcribeRemote(URI.create("gs://bucket/a.wav"), "en", null)).isEmpty();
    DeepgramEngine withSigner = new DeepgramEngine(settings(server), (audio, ttl) -> Optional.of("https://x/y"));
    try {
      assertThat(withSigner.transcribeRemote(wav.toUri(), "en", null)).isEmpty();
    } finally {
      withSigner.close();
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void availabilityFollowsTheKeyAndSettingsNeverPrintIt() {
    assertThat(engine.availability().available()).isTrue();
    assertThat(engine.availability().detail()).contains("nova-3").doesNotContain(KEY);
    assertThat(settings(server).toString()).doesNotContain(KEY).contains("(set)");
    DeepgramEngine keyless = new DeepgramEngine(DeepgramSettings.defaults(null, ""), null);
    try {
      assertThat(keyless.availability().available()).isFalse();
      assertThat(keyless.availability().detail()).contains("DEEPGRAM_API_KEY");
      assertThat(keyless.settings().baseUrl()).isEqualTo("https://api.deepgram.com");
    } finally {
      keyless.close();
    }
  }

  @Test
  void backoffGrowsWithJitterUpToTheCap() {
    DeepgramEngine e =
        new DeepgramEngine(settings(server).withRetries(8, Duration.ofMillis(100), Duration.ofMillis(800)), null);
    try {
      for (int i = 0; i < 50; i++) {
        assertThat(e.backoff(1).toMillis()).isBetween(50L, 100L);
        assertThat(e.backoff(3).toMillis()).isBetween(200L, 400L);
        assertThat(e.backoff(7).toMillis()).isBetween(400L, 800L);
      }
    } finally {
      e.close();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}

package io.videopipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.videopipe.VideoPipeApplication;
import io.videopipe.jobs.JobService;
import io.videopipe.jobs.JobSubmission;
import io.videopipe.pipeline.JobResult;
import io.videopipe.pipeline.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Fault profile: a Deepgram that answers in bursts of 429 (with Retry-After), 503 and dropped connections before it
 * answers; and one that stays at 429. The first job still completes on Deepgram; the second falls back to the local
 * engine after Deepgram's attempts are spent, and says so in its fallbacks. Nothing is lost either way.
 */
@Tag("fault")
class DeepgramBurstTest {
  @TempDir static Path dir;
  static MockWebServer deepgram;
  static ConfigurableApplicationContext ctx;
  static final AtomicInteger requests = new AtomicInteger();
  static volatile int failuresLeft;
  static volatile boolean outage;

  @BeforeAll
  static void start() throws Exception {
    String body = DeepgramProcessTest.deepgramAnswer(
        Files.readString(DeepgramProcessTest.SAMPLE.resolveSibling("talk.txt")), 66.0);
    deepgram = new MockWebServer();
    deepgram.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        int n = requests.incrementAndGet();
        if (outage || failuresLeft-- > 0) {
          return switch ((outage ? 0 : n) % 3) {
            case 0 -> DeepgramProcessTest.error(429, "TOO_MANY_REQUESTS", "Too many requests. Please try again later")
                .setHeader("Retry-After", "1");
            case 1 -> DeepgramProcessTest.error(503, "SERVICE_UNAVAILABLE", "Service temporarily unavailable");
            default -> new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
          };
        }
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
      }
    });
    deepgram.start();
    ctx = VideoPipeApplication.processApplication().run(
        "--videopipe.storage.root=" + dir.resolve("data"),
        "--videopipe.storage.work-dir=" + dir.resolve("work"),
        "--videopipe.download.local-roots=" + DeepgramProcessTest.SAMPLE.getParent(),
        "--videopipe.engines.deepgram.base-url=" + deepgram.url("/"),
        "--videopipe.engines.deepgram.api-key=" + DeepgramProcessTest.KEY);
  }

  @AfterAll
  static void stop() throws Exception {
    if (ctx != null) {
      ctx.close();
    }
    deepgram.shutdown();
  }

  static JobResult run(String jobId) {
    JobService jobs = ctx.getBean(JobService.class);
    jobs.start(JobSubmission.builder(DeepgramProcessTest.SAMPLE.toString()).jobId(jobId).engine("deepgram").keepSource(false).build(),
        "fault-suite");
    return jobs.awaitResult(jobId);
  }

  @Test
  void burstsOf429And5xxAreRetriedThroughToDeepgramsAnswer() {
    requests.set(0);
    failuresLeft = 5;
    JobResult r = run("dg-burst");
    assertThat(r.status()).as(String.valueOf(r)).isIn(JobStatus.COMPLETED, JobStatus.NEEDS_REVIEW);
    assertThat(r.transcription().engine()).isEqualTo("deepgram");
    assertThat(r.transcription().fallbacks()).isEmpty();
    assertThat(requests.get()).as("5 failed requests, then the answer").isEqualTo(6);
  }

  @Test
  void aSustained429OutageFallsBackToTheLocalEngine() {
    outage = true;
    try {
      JobResult r = run("dg-outage");
      assertThat(r.status()).as(String.valueOf(r)).isIn(JobStatus.COMPLETED, JobStatus.NEEDS_REVIEW);
      assertThat(r.transcription().engine()).isEqualTo("local");
      assertThat(r.transcription().fallbacks()).anySatisfy(f -> assertThat(f).startsWith("deepgram"));
      assertThat(r.transcription().words()).isGreaterThan(100);
    } finally {
      outage = false;
    }
  }
}

package io.videopipe.webui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.videopipe.browser.HeadlessChromium;
import io.videopipe.cli.DeepgramProcessTest;
import io.videopipe.fault.JobsClient;
import io.videopipe.fault.RoleProcess;
import io.videopipe.realserver.TemporalCliServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The Temporal Web UI showing one of our jobs, in headless Chromium: a CLI dev server with the UI and our codec
 * endpoint, the api and cpu-worker roles from the packaged jar with payload encryption on, and a job held in TRANSCRIBE
 * by a Deepgram-protocol server that answers only when the test lets it.
 */
@Tag("packaged")
class TemporalWebUiTest {
  static final Path SAMPLE = Path.of("..", "samples", "talk.mp4").toAbsolutePath().normalize();
  static final int API_PORT = freePort();
  static final String CODEC_ENDPOINT = "http://127.0.0.1:" + API_PORT + "/codec";
  static final String JOB = "ui-talk-1";

  @RegisterExtension
  static final TemporalCliServer TEMPORAL = new TemporalCliServer(o -> o.withUiCodecEndpoint(CODEC_ENDPOINT));

  static final CountDownLatch transcribing = new CountDownLatch(1);
  static final CountDownLatch release = new CountDownLatch(1);
  static MockWebServer deepgram;
  static final List<RoleProcess> roles = new ArrayList<>();
  static JobsClient client;
  static Path dir;

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void startRoles() throws Exception {
    HeadlessChromium.requireInstalled();
    dir = Files.createTempDirectory(Path.of("target"), "webui-").toAbsolutePath();
    String answer = DeepgramProcessTest.deepgramAnswer(Files.readString(SAMPLE.resolveSibling("talk.txt")), 66.0);
    deepgram = new MockWebServer();
    deepgram.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        transcribing.countDown();
        release.await(5, TimeUnit.MINUTES);
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(answer);
      }
    });
    deepgram.start();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Map<String, String> codec = Map.of("VIDEOPIPE_CODEC_KEY", Base64.getEncoder().encodeToString(key));
    String address = "--videopipe.temporal.address=" + TEMPORAL.target();
    String storage = "--videopipe.storage.root=" + dir.resolve("data");
    Path logs = dir.resolve("logs");
    RoleProcess worker = new RoleProcess("cpu-worker", logs, codec, "768m", address, storage,
        "--videopipe.storage.work-dir=" + dir.resolve("work"), "--server.port=0",
        "--videopipe.download.allow-local-files=true", "--videopipe.download.local-roots=" + SAMPLE.getParent(),
        "--videopipe.engines.deepgram.base-url=" + deepgram.url("/"),
        "--videopipe.engines.deepgram.api-key=dg-webui-test-key");
    RoleProcess api = new RoleProcess("api", logs, codec, "384m", address, storage, "--server.port=" + API_PORT,
        "--videopipe.security.codec-cors-origins=" + TEMPORAL.uiUrl(),
        "--videopipe.api-url=http://127.0.0.1:" + API_PORT);
    roles.add(worker.start());
    roles.add(api.start());
    worker.awaitStarted(Duration.ofMinutes(5));
    api.awaitStarted(Duration.ofMinutes(5));
    client = new JobsClient(API_PORT);
    RoleProcess.awaitHttp(client.http, "http://127.0.0.1:" + API_PORT + "/actuator/health/readiness",
        Duration.ofMinutes(2));
  }

  @AfterAll
  static void stop() throws Exception {
    release.countDown();
    roles.forEach(RoleProcess::close);
    if (deepgram != null) {
      deepgram.shutdown();
    }
  }

  @Test
  void theUiShowsAJobHeldInTranscriptionAndDecodesItThroughOurCodec() throws Exception {
    // On a loaded machine the api's first call to Temporal may time out (500); the same jobId makes a retry safe.
    var r = client.submit(JOB, SAMPLE.toString(), "deepgram");
    for (int i = 0; i < 3 && r.statusCode() >= 500; i++) {
      Thread.sleep(3000);
      r = client.submit(JOB, SAMPLE.toString(), "deepgram");
    }
    assertThat(r.statusCode()).as(r.body()).isIn(202, 409);
    assertThat(transcribing.await(3, TimeUnit.MINUTES)).as("the job reached Deepgram").isTrue();
    String ui = TEMPORAL.uiUrl() + "/namespaces/default/workflows";
    try (HeadlessChromium browser = HeadlessChromium.desktop()) {
      ChromeDriver d = browser.driver();
      // the codec sign-in: the UI's decode requests carry this cookie (include credentials), never a key
      d.get("http://127.0.0.1:" + API_PORT + "/codec-login");
      d.findElement(By.id("key")).sendKeys(RoleProcess.apiKey());
      d.findElement(By.id("sign-in")).click();
      assertThat(d.findElement(By.id("signed-in")).getText()).contains("may now decode payloads");

      // The UI keeps column choice and codec settings per browser in localStorage (keys read from the UI's
      // stores: configurable-table-columns.ts, data-encoder-config.ts): what its column picker and codec dialog write.
      d.get(ui);
      ((JavascriptExecutor) d).executeScript(
          "localStorage.setItem('namespace-workflow-table-columns', JSON.stringify({default: arguments[0]}));"
              + "localStorage.setItem('endpoint', JSON.stringify(arguments[1]));"
              + "localStorage.setItem('includeCredentials', 'true');"
              + "localStorage.setItem('overrideRemoteCodecConfiguration', 'true');",
          COLUMNS.stream().map(c -> Map.of("label", c)).toList(), CODEC_ENDPOINT);
      d.navigate().refresh();
      String list = textOnceShown(browser, JOB + " VideoPipeline");
      assertThat(list).contains(String.join("\n", COLUMNS));
      assertThat(list).containsPattern(JOB + " VideoPipeline .* RUNNING TRANSCRIBE deepgram 3");
      browser.screenshot("temporal-ui-list");

      d.get(ui + "/" + JOB);
      // the timeline's activity summaries, decoded: what each step did
      String job = textOnceShown(browser, "Transcribe • transcribing with deepgram on video-cpu");
      assertThat(job).contains("Download • downloading " + SAMPLE, "\"engine\": \"DEEPGRAM\"");
      String run = d.getCurrentUrl().replaceAll("/(timeline|history)$", "");
      browser.screenshot("temporal-ui-job");

      d.get(run + "/user-metadata");
      textOnceShown(browser, "Current Details");
      // The UI renders summary and details as Markdown in sandboxed frames: read each frame.
      List<String> links = new ArrayList<>();
      String metadata = framesOnceShown(browser, "TRANSCRIBE:", links);
      assertThat(metadata)
          .contains("talk.mp4 · deepgram", "Route plan", "engine requested: deepgram", "queues: workflow and CPU steps")
          .contains("TRANSCRIBE: transcribing with deepgram");
      assertThat(links).contains("http://127.0.0.1:" + API_PORT + "/api/v1/jobs/" + JOB,
          "http://127.0.0.1:" + API_PORT + "/api/v1/jobs/" + JOB + "/transcript?format=srt");
      browser.screenshot("temporal-ui-user-metadata");

      d.get(run + "/pending-activities");
      String pending = textOnceShown(browser, "Heartbeat");
      // the Deepgram engine heartbeats the share of its work done: the upload is 0.9 of it
      assertThat(pending).contains("Transcribe", "0.9");
      browser.screenshot("temporal-ui-pending-activity");
    }
    try (HeadlessChromium plain = HeadlessChromium.desktop()) {
      // a browser that has not signed in to the codec: the UI's decode requests are refused, it shows ciphertext
      plain.driver().get(ui + "/" + JOB);
      String job = textOnceShown(plain, "Result");
      assertThat(job).doesNotContain("sourceUri", "talk.mp4", "transcribing with");
      assertThat(job).containsPattern("\"[A-Za-z0-9+/]{200,}={0,2}\"");
      plain.screenshot("temporal-ui-no-codec");
    }
    release.countDown();
    JsonNode done = client.awaitTerminal(List.of(JOB), Duration.ofMinutes(3)).get(JOB);
    assertThat(JobsClient.status(done)).as(String.valueOf(done)).isEqualTo("COMPLETED");
  }

  static final List<String> COLUMNS =
      List.of("Status", "Workflow ID", "Type", "Start", "VpStatus", "VpStep", "VpEngine", "VpPriority");

  /** The text of the page and of every frame in it once it contains {@code expected}; the frames' links go to {@code links}. */
  static String framesOnceShown(HeadlessChromium browser, String expected, List<String> links) throws Exception {
    ChromeDriver d = browser.driver();
    long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
    String text = "";
    while (System.nanoTime() < deadline) {
      StringBuilder all = new StringBuilder(d.findElement(By.tagName("body")).getText());
      links.clear();
      for (var frame : d.findElements(By.tagName("iframe"))) {
        d.switchTo().frame(frame);
        all.append("\n").append(d.findElement(By.tagName("body")).getText());
        d.findElements(By.cssSelector("a[href]")).forEach(a -> links.add(a.getAttribute("href")));
        d.switchTo().defaultContent();
      }
      text = all.toString();
      if (text.contains(expected)) {
        return text;
      }
      Thread.sleep(500);
    }
    dump(browser, "frames");
    assertThat(text).as("page and frames of " + d.getCurrentUrl()).contains(expected);
    return text;
  }

  /** The page's source beside the screenshots, to see what a failed wait saw. */
  static void dump(HeadlessChromium browser, String name) throws IOException {
    Files.createDirectories(HeadlessChromium.SCREENSHOTS);
    Files.writeString(HeadlessChromium.SCREENSHOTS.resolve(name + ".html"), browser.driver().getPageSource());
    browser.screenshot(name);
  }

  /** The page's text once it contains {@code expected} (the UI renders after its API calls and the codec's). */
  static String textOnceShown(HeadlessChromium browser, String expected) {
    try {
      browser.waiting(Duration.ofSeconds(45)).until(d -> d.findElement(By.tagName("body")).getText().contains(expected));
    } catch (org.openqa.selenium.TimeoutException e) {
      // the assertion below shows what the page said instead
    }
    String text = browser.driver().findElement(By.tagName("body")).getText();
    if (!text.contains(expected)) {
      try {
        dump(browser, "failed-wait");
      } catch (IOException e) {
        // the assertion says enough
      }
    }
    assertThat(text).as("page " + browser.driver().getCurrentUrl()).contains(expected);
    return text;
  }
}

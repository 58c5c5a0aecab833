package io.videopipe.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.videopipe.browser.HeadlessChromium;
import io.videopipe.testing.ApiKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard as a new user meets it, in headless Chromium against a real local role (embedded Temporal, FFmpeg,
 * Vosk): sign in, upload and submit the sample in three frames, watch the job page and the list update without
 * reloading (the cancel and priority forms gone once the job ended), play a clip, open each of its frames, seek it from
 * the transcript, cancel another job from its page, and the same views on a 390 px phone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardBrowserTest {
  static final Path SAMPLE = Path.of("..", "samples", "talk.mp4").toAbsolutePath().normalize();
  static final String KEY = "dashboard-browser-test-key-7d1e";
  // generous: on a shared, overloaded machine the sample has taken over 4 minutes (RenderClip heartbeat timeouts)
  static final Duration JOB = Duration.ofSeconds(600);

  @TempDir static Path dir;
  static MockWebServer slowSource;

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry registry) {
    registry.add("videopipe.storage.root", () -> dir.resolve("data").toString());
    registry.add("videopipe.storage.work-dir", () -> dir.resolve("work").toString());
    // uploads land in storage, which the local role then reads as a local file
    registry.add("videopipe.download.local-roots", () -> dir.resolve("data") + "," + SAMPLE.getParent());
    registry.add("videopipe.download.allow-plain-http", () -> "true");
    registry.add("videopipe.download.allowed-hosts", () -> "localhost");
    registry.add("videopipe.security.bootstrap-key", () -> KEY);
  }

  @BeforeAll
  static void slowServer() throws Exception {
    HeadlessChromium.requireInstalled();
    slowSource = new MockWebServer();
    slowSource.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    slowSource.shutdown();
  }

  @LocalServerPort int port;
  @Autowired TestRestTemplate http;

  String url(String path) {
    return "http://localhost:" + port + path;
  }

  @Test
  void aNewUsersJourney() throws Exception {
    ApiKeys.sendWith(http, KEY);
    try (HeadlessChromium chromium = HeadlessChromium.desktop()) {
      ChromeDriver d = chromium.driver();
      // the live parts are swapped in while we read them: look again rather than fail on a replaced element
      WebDriverWait wait = chromium.waiting(JOB);
      wait.ignoring(StaleElementReferenceException.class);

      // GET / leads to the sign-in page; a wrong key is refused with a message, the right one signs in.
      d.get(url("/"));
      assertThat(d.getCurrentUrl()).contains("/ui/login");
      d.findElement(By.id("apiKey")).sendKeys("not-a-key");
      d.findElement(By.id("signin")).click();
      assertThat(d.findElement(By.cssSelector("[role=alert]")).getText()).contains("not one this service accepts");
      signIn(d);
      wait.until(x -> x.getCurrentUrl().endsWith("/ui/jobs"));
      wait.until(x -> x.findElement(By.id("job-rows")).getText().contains("No jobs yet"));
      String cookie = (String) js(d).executeScript("return document.cookie");
      assertThat(cookie).as("the session cookie is HttpOnly").doesNotContain("JSESSIONID");

      // Submit the sample as an upload, with short highlights so it yields clips quickly.
      d.get(url("/ui/submit"));
      d.findElement(By.id("file")).sendKeys(SAMPLE.toString());
      d.findElement(By.id("maxHighlights")).sendKeys("2");
      for (String frame : new String[] {"aspect-source", "aspect-9x16", "aspect-1x1"}) {
        d.findElement(By.id(frame)).click();
      }
      d.findElement(By.id("submit-job")).click();
      try {
        wait.until(x -> x.getCurrentUrl().matches(".*/ui/jobs/job-[^/]+$"));
      } catch (RuntimeException e) {
        chromium.screenshot("dashboard-submit-failed");
        throw new AssertionError("no job page after the upload; the page says: " + d.findElement(By.tagName("main")).getText(), e);
      }
      String jobId = d.getCurrentUrl().replaceAll(".*/ui/jobs/", "");
      markPage(d);
      chromium.screenshot("dashboard-job-running");
      boolean openedWhileOpen = d.findElement(By.id("job-status")).getText().equals("RUNNING");
      if (openedWhileOpen) {
        assertThat(d.findElements(By.id("cancel"))).as("a running job can be cancelled").hasSize(1);
        assertThat(d.findElements(By.id("reprioritise"))).as("a running job can be reprioritised").hasSize(1);
      }

      // The job page follows the job over its event stream: the status turns COMPLETED without a reload.
      wait.until(x -> x.findElement(By.id("job-status")).getText().matches("COMPLETED|NEEDS_REVIEW"));
      assertThat(pageMarked(d)).as("the page was not reloaded").isTrue();
      wait.until(x -> x.findElement(By.id("job-percent")).getText().equals("100%"));
      // the sample's clips in all three frames pass QA (its test pattern once sent the crops to review)
      wait.until(x -> !x.findElements(By.cssSelector("table.qa tbody tr")).isEmpty());
      assertThat(d.findElement(By.id("job-status")).getText()).as("QA checks failed: %s",
          d.findElements(By.cssSelector("table.qa tr.bad")).stream().map(b -> b.getAttribute("textContent")).toList())
          .isEqualTo("COMPLETED");
      // the ended job offers neither cancel nor a new priority, on the page opened while it ran
      wait.until(x -> x.findElements(By.cssSelector("#cancel, #reprioritise, #actions")).isEmpty());
      assertThat(pageMarked(d)).as("the page was not reloaded").isTrue();
      wait.until(x -> !x.findElements(By.cssSelector("#results video")).isEmpty());
      assertThat(d.findElements(By.cssSelector(".timeline li.done")).size()).isGreaterThanOrEqualTo(6);
      assertThat(d.findElement(By.cssSelector("table.qa tbody tr")).getText()).isNotBlank();
      assertThat(d.findElements(By.cssSelector("svg.bars rect"))).hasSizeGreaterThanOrEqualTo(2);
      assertThat(d.findElement(By.cssSelector("#results")).getText()).contains("welcome");

      // The first clip plays: it gets data and its clock advances.
      WebElement video = d.findElement(By.id("clip-1"));
      assertThat(video.findElement(By.tagName("track")).getAttribute("src")).endsWith("/clips/1.vtt");
      js(d).executeScript("arguments[0].muted = true; arguments[0].play();", video);
      wait.until(x -> number(x, "return arguments[0].readyState", video) >= 2
          && number(x, "return arguments[0].currentTime", video) > 0.5);
      js(d).executeScript("arguments[0].pause();", video);

      // Every frame of the first clip: labelled, a player whose picture has the frame's shape, a link to its file.
      WebElement firstClip = d.findElement(By.cssSelector("article.clip"));
      Map<String, double[]> shapes = Map.of("16:9", new double[] {16 / 9.0}, "9:16", new double[] {9 / 16.0},
          "1:1", new double[] {1.0});
      java.util.List<WebElement> frames = firstClip.findElements(By.cssSelector("figure.frame"));
      assertThat(frames.stream().map(f -> f.getAttribute("data-frame")))
          .as("the first clip's frames").containsExactly("16:9", "9:16", "1:1");
      for (WebElement frame : frames) {
        String label = frame.getAttribute("data-frame");
        assertThat(frame.findElement(By.cssSelector(".frame-label")).getText()).isEqualTo(label);
        WebElement player = frame.findElement(By.tagName("video"));
        wait.until(x -> number(x, "return arguments[0].readyState", player) >= 1);
        double w = number(d, "return arguments[0].videoWidth", player);
        double h = number(d, "return arguments[0].videoHeight", player);
        assertThat(w / h).as(label + " picture " + w + "x" + h).isCloseTo(shapes.get(label)[0], within(0.03));
        String href = frame.findElement(By.cssSelector("a[download]")).getAttribute("href");
        assertThat(href).isEqualTo(player.getAttribute("src"));
        ResponseEntity<byte[]> file = http.getForEntity(href.replace(url(""), ""), byte[].class);
        assertThat(file.getStatusCode().value()).as(href).isEqualTo(200);
        assertThat(file.getHeaders().getContentType()).as(href).hasToString("video/mp4");
        assertThat(file.getBody()).as(href).hasSizeGreaterThan(1000);
      }
      assertThat(frames.get(0).findElement(By.tagName("video")).getAttribute("id")).isEqualTo("clip-1");
      assertThat(frames.get(1).findElement(By.tagName("a")).getAttribute("href")).endsWith("/clips/1-9x16.mp4");
      assertThat(frames.get(2).findElement(By.tagName("a")).getAttribute("href")).endsWith("/clips/1-1x1.mp4");
      // the status, the timeline (no cancel or priority forms) and the first clip's frames in one view
      js(d).executeScript("document.getElementById('status').scrollIntoView({block: 'start'})");
      chromium.screenshot("dashboard-job-done");

      // A transcript word inside clip 1 seeks clip 1 to it.
      double clipStart = Double.parseDouble(d.findElement(By.cssSelector("article.clip")).getAttribute("data-start"));
      WebElement word = (WebElement) js(d).executeScript(
          "return [...document.querySelectorAll('button.w')].find(w => parseFloat(w.dataset.t) > arguments[0] + 5);",
          clipStart);
      assertThat(word).as("a word 5 s into the first clip").isNotNull();
      double expected = Double.parseDouble(word.getAttribute("data-t")) - clipStart;
      js(d).executeScript("arguments[0].scrollIntoView({block: 'center'})", word);
      word.click();
      wait.until(x -> Math.abs(number(x, "return arguments[0].currentTime", video) - expected) < 1.0);
      assertThat(d.findElement(By.id("seek-note")).getText()).contains("Playing clip 1");

      // The list shows new jobs as they start, without a reload: start one through the API while watching.
      d.get(url("/ui/jobs"));
      markPage(d);
      slowSource.enqueue(slowVideo());
      Map<String, Object> body = Map.of("sourceUrl", slowSource.url("/slow.mp4").toString(), "jobId", "slow-job");
      assertThat(http.postForEntity("/api/v1/jobs", body, JsonNode.class).getStatusCode().value()).isEqualTo(202);
      wait.until(x -> !x.findElements(By.cssSelector("#job-rows tr[data-job='slow-job']")).isEmpty());
      assertThat(pageMarked(d)).as("the list was not reloaded").isTrue();
      wait.until(x -> x.findElement(By.cssSelector("#job-rows tr[data-job='" + jobId + "']")).getText().matches("(?s).*(COMPLETED|NEEDS_REVIEW).*"));
      chromium.screenshot("dashboard-jobs");

      // Cancel the slow job from its page.
      wait.until(x -> {
        x.findElement(By.linkText("slow-job")).click();
        return true;
      });
      wait.until(x -> x.getCurrentUrl().endsWith("/ui/jobs/slow-job"));
      d.findElement(By.id("reason")).sendKeys("not needed");
      d.findElement(By.id("cancel")).click();
      wait.until(x -> x.findElements(By.cssSelector("[role=status].notice")).size() > 0);
      wait.until(x -> x.findElement(By.id("job-status")).getText().equals("CANCELLED"));
      wait.until(x -> x.findElements(By.cssSelector("#cancel, #reprioritise")).isEmpty());
      JsonNode slow = http.getForObject("/api/v1/jobs/slow-job", JsonNode.class);
      assertThat(slow.path("status").asText()).isEqualTo("CANCELLED");

      // The phone: the same views fit 390 px without horizontal scrolling.
      try (HeadlessChromium phone = HeadlessChromium.phone()) {
        ChromeDriver p = phone.driver();
        p.get(url("/ui/jobs"));
        signIn(p);
        phone.waiting(JOB).until(x -> x.getCurrentUrl().endsWith("/ui/jobs"));
        assertNoHorizontalScroll(p);
        phone.screenshot("dashboard-phone-jobs");
        p.get(url("/ui/jobs/" + jobId));
        assertNoHorizontalScroll(p);
        phone.screenshot("dashboard-phone-job");
        js(p).executeScript("document.querySelector('article.clip').scrollIntoView({block: 'start'})");
        phone.screenshot("dashboard-phone-job-frames");
        p.get(url("/ui/submit"));
        assertNoHorizontalScroll(p);
      }

      // Signing out ends the session: the pages ask to sign in again.
      d.get(url("/ui/jobs"));
      d.findElement(By.cssSelector("form.signout button")).click();
      wait.until(x -> x.getCurrentUrl().contains("/ui/login"));
      d.get(url("/ui/jobs"));
      assertThat(d.getCurrentUrl()).contains("/ui/login");
    }
  }

  static void signIn(ChromeDriver d) {
    d.findElement(By.id("apiKey")).sendKeys(KEY);
    d.findElement(By.id("signin")).click();
  }

  static void assertNoHorizontalScroll(ChromeDriver d) {
    long width = ((Number) js(d).executeScript("return document.scrollingElement.scrollWidth")).longValue();
    assertThat(width).as("page width on a phone at " + d.getCurrentUrl()).isLessThanOrEqualTo(390);
  }

  static JavascriptExecutor js(ChromeDriver d) {
    return d;
  }

  static void markPage(ChromeDriver d) {
    js(d).executeScript("window.__notReloaded = true;");
  }

  static boolean pageMarked(ChromeDriver d) {
    return Boolean.TRUE.equals(js(d).executeScript("return window.__notReloaded === true;"));
  }

  static double number(org.openqa.selenium.WebDriver d, String script, WebElement e) {
    return ((Number) ((JavascriptExecutor) d).executeScript(script, e)).doubleValue();
  }

  /** A source that trickles: the job stays in its download step until it is cancelled. */
  static MockResponse slowVideo() throws Exception {
    Buffer bytes = new Buffer().write(Files.readAllBytes(SAMPLE));
    return new MockResponse()
        .setResponseCode(200)
        .addHeader("Content-Type", "video/mp4")
        .setBody(bytes)
        .throttleBody(4096, 1, TimeUnit.SECONDS);
  }
}

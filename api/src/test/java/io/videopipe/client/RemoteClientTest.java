package io.videopipe.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.videopipe.client.cli.RemoteCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The client module against the running app (a real local role on a random port): its committed OpenAPI document is
 * the live one, and the remote CLI submits a local file (uploaded), watches it over the event stream, lists, downloads
 * its artifacts and cancels another job.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RemoteClientTest {
  static final Path COMMITTED = Path.of("..", "client", "src", "main", "openapi", "videopipe.json");
  static final Path SAMPLE = Path.of("..", "samples", "talk.mp4").toAbsolutePath().normalize();
  static final String KEY = "remote-client-test-key-51ab";
  static final String REFRESH =
      "mvn -B -pl api -am test -Dtest=RemoteClientTest -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dvideopipe.openapi.write=true";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry registry) {
    registry.add("videopipe.storage.root", () -> dir.resolve("data").toString());
    registry.add("videopipe.storage.work-dir", () -> dir.resolve("work").toString());
    registry.add("videopipe.download.local-roots", () -> dir.resolve("data").toString());
    registry.add("videopipe.download.allow-plain-http", () -> "true");
    registry.add("videopipe.download.allowed-hosts", () -> "localhost");
    registry.add("videopipe.security.bootstrap-key", () -> KEY);
  }

  @LocalServerPort int port;

  record Run(int code, String out, String err) {}

  Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] all = new String[args.length + 4];
    all[0] = "--url";
    all[1] = "http://localhost:" + port;
    all[2] = "--key";
    all[3] = KEY;
    System.arraycopy(args, 0, all, 4, args.length);
    int code = new RemoteCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(all);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theCommittedSpecIsTheLiveOne() throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/v3/api-docs")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    JsonNode live = JSON.readTree(r.body());
    ((ObjectNode) live).remove("servers"); // the test's random port is not part of the contract
    if (Boolean.getBoolean("videopipe.openapi.write")) {
      Files.writeString(COMMITTED, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(live) + "\n");
    }
    assertThat(Files.exists(COMMITTED)).as(COMMITTED + " is missing; create it with: " + REFRESH).isTrue();
    // compared as JSON trees: key order and layout do not matter
    assertThat(JSON.readTree(COMMITTED.toFile()))
        .as("the API changed: refresh the client's spec with\n  " + REFRESH + "\nthen rebuild the client module")
        .isEqualTo(live);
  }

  @Test
  void theRemoteCliDrivesJobsEndToEnd() throws Exception {
    // submit a local file: uploaded, then submitted by its sourceUrl
    Run submitted = cli("submit", SAMPLE.toString(), "--priority", "2");
    assertThat(submitted.code()).as(submitted.err()).isZero();
    assertThat(submitted.err()).contains("uploaded talk.mp4");
    String jobId = submitted.out().trim();
    assertThat(jobId).startsWith("job-");

    // --watch follows the event stream to the end: a progress bar per step, then the final status
    Run watched = cli("status", jobId, "--watch");
    assertThat(watched.code()).as(watched.err()).isZero();
    assertThat(watched.out()).contains("% RUNNING transcribe", "[##############################] 100%");
    assertThat(watched.out().lines().reduce((a, b) -> b).orElseThrow()).matches("COMPLETED|NEEDS_REVIEW");

    Run listed = cli("list");
    assertThat(listed.out()).contains(jobId, "talk.mp4");

    Path out = dir.resolve("download");
    Run downloaded = cli("download", jobId, "--out", out.toString());
    assertThat(downloaded.code()).as(downloaded.err()).isZero();
    assertThat(Files.readString(out.resolve("transcript.srt"))).contains("-->");
    assertThat(JSON.readTree(out.resolve("cost.json").toFile()).path("totalUsd").asDouble()).isPositive();
    byte[] clip = Files.readAllBytes(out.resolve("clip-01.mp4"));
    assertThat(new String(clip, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");

    // cancel a job that trickles its download; a second cancel names why it cannot
    try (MockWebServer slow = new MockWebServer()) {
      slow.enqueue(new MockResponse().setResponseCode(200).addHeader("Content-Type", "video/mp4")
          .setBody(new Buffer().write(Files.readAllBytes(SAMPLE))).throttleBody(4096, 1, TimeUnit.SECONDS));
      slow.start();
      String slowId = cli("submit", slow.url("/slow.mp4").toString()).out().trim();
      Run cancelled = cli("cancel", slowId, "--reason", "not needed");
      assertThat(cancelled.code()).as(cancelled.err()).isZero();
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      Run status;
      do {
        Thread.sleep(500);
        status = cli("status", slowId);
      } while (status.out().contains("RUNNING") && System.nanoTime() < deadline);
      assertThat(status.out()).contains("CANCELLED");
      Run again = cli("cancel", slowId);
      assertThat(again.code()).isEqualTo(1);
      assertThat(again.err()).contains("HTTP 409", "already ended");
    }

    assertThat(cli("frobnicate").code()).isEqualTo(2);
  }
}

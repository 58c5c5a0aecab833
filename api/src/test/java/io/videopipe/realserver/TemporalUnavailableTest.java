package io.videopipe.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videopipe.VideoPipeApplication;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The api role in front of a Temporal server that does not answer: a real CLI server killed under it, and an address
 * where nothing listens. Submit, view and list answer 503 problem+json naming the server's address and the setting,
 * with Retry-After; the health is down; once the server is back the same calls succeed.
 */
class TemporalUnavailableTest {
  @RegisterExtension static final TemporalCliServer TEMPORAL = new TemporalCliServer();
  static final String KEY = "unavailable-test-key-5c1a";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  ConfigurableApplicationContext api;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  int port;

  void startApi(String address) {
    api = new SpringApplication(VideoPipeApplication.class).run(
        "--spring.profiles.active=api", "--server.port=0", "--videopipe.temporal.address=" + address,
        "--videopipe.storage.root=" + dir.resolve("data"), "--videopipe.security.bootstrap-key=" + KEY);
    port = ((WebServerApplicationContext) api).getWebServer().getPort();
  }

  @AfterEach
  void stopApi() {
    if (api != null) {
      api.close();
    }
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("X-API-Key", KEY)
        .timeout(Duration.ofSeconds(120));
    if (body != null) {
      r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      r.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String submit(String jobId) {
    String sample = Path.of("..", "samples", "talk.mp4").toAbsolutePath().normalize().toString();
    return "{\"sourceUrl\": \"" + sample + "\", \"jobId\": \"" + jobId + "\"}";
  }

  void assertUnavailable(HttpResponse<String> r, String address) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
    JsonNode problem = JSON.readTree(r.body());
    assertThat(problem.path("status").asInt()).isEqualTo(503);
    assertThat(problem.path("title").asText()).isEqualTo("Temporal unavailable");
    assertThat(problem.path("detail").asText())
        .startsWith("the Temporal server at " + address + " is not answering (")
        .contains("videopipe.temporal.address")
        .contains("retry in 5 s");
  }

  void assertTemporalHealth(String status, int httpStatus) throws Exception {
    HttpResponse<String> health = send("GET", "/actuator/health", null);
    assertThat(health.statusCode()).as(health.body()).isEqualTo(httpStatus);
    assertThat(JSON.readTree(health.body()).path("components").path("temporal").path("status").asText())
        .isEqualTo(status);
  }

  /** Each call once, timed: the SDK retries a start for a while before it gives up; the direct calls do not. */
  HttpResponse<String> timed(String what, String method, String path, String body) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r = send(method, path, body);
    System.out.printf("%s answered %d in %.1f s%n", what, r.statusCode(), (System.nanoTime() - t0) / 1e9);
    return r;
  }

  @Test
  void aKilledServerIs503ForSubmitViewAndListUntilItIsBack() throws Exception {
    startApi(TEMPORAL.target());
    assertThat(send("POST", "/api/v1/jobs", submit("unavailable-1")).statusCode()).isEqualTo(202);
    assertTemporalHealth("UP", 200);

    TEMPORAL.kill();
    assertUnavailable(timed("view", "GET", "/api/v1/jobs/unavailable-1", null), TEMPORAL.target());
    assertUnavailable(timed("list", "GET", "/api/v1/jobs", null), TEMPORAL.target());
    long t0 = System.nanoTime();
    assertUnavailable(timed("submit", "POST", "/api/v1/jobs", submit("unavailable-2")), TEMPORAL.target());
    // The api role's client gives up after its retry window (10 s), well before a load balancer would.
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    assertTemporalHealth("DOWN", 503);

    TEMPORAL.restart();
    // As a client honouring Retry-After would: the channel reconnects on its own within its backoff.
    HttpResponse<String> list = send("GET", "/api/v1/jobs", null);
    for (long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        list.statusCode() == 503 && System.nanoTime() < deadline; ) {
      assertUnavailable(list, TEMPORAL.target());
      Thread.sleep(1000);
      list = send("GET", "/api/v1/jobs", null);
    }
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(JSON.readTree(list.body()).path("jobs").findValuesAsText("jobId")).contains("unavailable-1");
    assertTemporalHealth("UP", 200);

    // The server answers, but no cpu-worker runs to answer the running job's progress query: not the server's fault.
    HttpResponse<String> view = timed("view without workers", "GET", "/api/v1/jobs/unavailable-1", null);
    assertThat(view.statusCode()).as(view.body()).isEqualTo(503);
    assertThat(view.headers().firstValue("Retry-After")).hasValue("5");
    JsonNode problem = JSON.readTree(view.body());
    assertThat(problem.path("title").asText()).isEqualTo("Workers not answering");
    assertThat(problem.path("detail").asText())
        .startsWith("the Temporal server at " + TEMPORAL.target() + " answers, but the job's workflow did not answer")
        .contains("no cpu-worker polls its task queue");
  }

  @Test
  void anAddressWhereNothingListensIs503FromTheFirstCall() throws Exception {
    int nothing;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      nothing = s.getLocalPort();
    }
    String address = "127.0.0.1:" + nothing;
    startApi(address);
    assertUnavailable(timed("submit", "POST", "/api/v1/jobs", submit("nowhere-1")), address);
    assertUnavailable(timed("view", "GET", "/api/v1/jobs/nowhere-1", null), address);
    assertUnavailable(timed("list", "GET", "/api/v1/jobs", null), address);
    assertTemporalHealth("DOWN", 503);
  }
}

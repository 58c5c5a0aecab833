package io.videopipe.roles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videopipe.VideoPipeApplication;
import io.temporal.client.WorkflowClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The deployed shape on one machine: the dev-server role on 127.0.0.1, and the cpu-worker, gpu-worker and api roles
 * connecting to it through TEMPORAL_ADDRESS, as separate processes would. A job submitted to the api role completes.
 */
class RolesTest {
  @TempDir static Path dir;
  static final List<ConfigurableApplicationContext> roles = new ArrayList<>();
  static final String KEY = "roles-test-key";

  static ConfigurableApplicationContext start(String role, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--spring.profiles.active=" + role);
    all.add("--server.port=0");
    ConfigurableApplicationContext ctx = new SpringApplication(VideoPipeApplication.class).run(all.toArray(String[]::new));
    roles.add(0, ctx);
    return ctx;
  }

  @AfterAll
  static void stop() {
    roles.forEach(ConfigurableApplicationContext::close);
  }

  @Test
  void separateRolesShareOneTemporalServerAndCompleteAJob() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String address = "--videopipe.temporal.address=127.0.0.1:" + port;
    String storage = "--videopipe.storage.root=" + dir.resolve("data");
    String work = "--videopipe.storage.work-dir=" + dir.resolve("work");

    start("dev-server", "--videopipe.temporal.dev-server-port=" + port);
    ConfigurableApplicationContext cpu =
        start("cpu-worker", address, storage, work, "--videopipe.download.allow-local-files=true",
            "--videopipe.download.local-roots=" + Path.of("..").toAbsolutePath().normalize(),
            "--videopipe.security.bootstrap-key=" + KEY);
    start("gpu-worker", address, storage, work);
    ConfigurableApplicationContext api =
        start("api", address, storage, "--videopipe.security.bootstrap-key=" + KEY);
    int apiPort = ((WebServerApplicationContext) api).getWebServer().getPort();

    HttpClient http = HttpClient.newHttpClient();
    String sample = Path.of("..", "samples", "talk.mp4").toAbsolutePath().normalize().toString();
    HttpResponse<String> accepted =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/v1/jobs"))
                .header("X-API-Key", KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                    "{\"sourceUrl\": \"" + sample + "\", \"jobId\": \"roles-1\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

    // A worker's actuator port: health probes open, everything else only with a key.
    String worker = "http://127.0.0.1:" + ((WebServerApplicationContext) cpu).getWebServer().getPort();
    assertThat(http.send(HttpRequest.newBuilder(URI.create(worker + "/actuator/health/liveness")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
    for (String path : List.of("/actuator/prometheus", "/actuator/metrics", "/actuator/info")) {
      assertThat(http.send(HttpRequest.newBuilder(URI.create(worker + path)).build(),
              HttpResponse.BodyHandlers.ofString()).statusCode())
          .as(path)
          .isEqualTo(401);
    }
    HttpResponse<String> metrics =
        http.send(HttpRequest.newBuilder(URI.create(worker + "/actuator/prometheus")).header("X-API-Key", KEY).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes");

    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    JsonNode job;
    do {
      Thread.sleep(200);
      job =
          json.readTree(
              http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/v1/jobs/roles-1"))
                          .header("Authorization", "Bearer " + KEY)
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
    } while (job.path("status").asText().equals("RUNNING") && System.nanoTime() < deadline);

    assertThat(job.path("status").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
    assertThat(job.path("result").path("transcription").path("engine").asText()).isEqualTo("local");
    assertThat(job.path("result").path("transcription").path("words").asInt()).isGreaterThan(100);

    // Without payload encryption the history is plain JSON: it names the key ("bootstrap") but never holds the key.
    String history =
        new String(
            api.getBean(WorkflowClient.class).fetchHistory("roles-1").getHistory().toByteArray(),
            StandardCharsets.ISO_8859_1);
    assertThat(history).contains("talk.mp4", "\"bootstrap\"").doesNotContain(KEY);
  }
}

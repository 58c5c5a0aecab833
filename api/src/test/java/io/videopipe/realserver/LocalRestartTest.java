package io.videopipe.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local role on its own Temporal CLI server survives a kill -9 mid-transcription: the job completes exactly
 * once with every artifact, earlier jobs stay listed, job ids are never reused and idempotency keys replay.
 */
@ExtendWith(TemporalCliServer.RequiresCli.class)
class LocalRestartTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path SAMPLE = Path.of("..", "samples", "talk.mp4").toAbsolutePath().normalize();

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  String base;
  final long t0 = System.nanoTime();

  /** Phase times on stdout (surefire keeps them in the report): the machine is shared, so they vary. */
  private void phase(String what) {
    System.out.printf("LocalRestartTest %6.1f s  %s%n", (System.nanoTime() - t0) / 1e9, what);
  }

  @Test
  void aJobKilledMidTranscriptionCompletesOnceAfterTheRestart(@TempDir Path dir) throws Exception {
    Path cli = TemporalCliServer.requireCli();
    try (LocalRole role = new LocalRole(dir, cli, SAMPLE.getParent())) {
      role.keepLogIn(Path.of("target", "realserver", "LocalRestartTest-local-role.log"));
      base = "http://127.0.0.1:" + role.httpPort;
      role.start().awaitStarted(Duration.ofMinutes(3));
      phase("role started");
      assertThat(role.logText()).contains("Temporal Web UI: http://127.0.0.1:" + role.uiPort + "/namespaces/default");

      // One highlight, one clip: the restart is under test, not rendering (this machine is shared and slow).
      String firstBody = "{\"sourceUrl\":\"" + SAMPLE + "\",\"highlights\":{\"maxCount\":1,\"minSec\":15,\"maxSec\":60}}";
      HttpResponse<String> first = post("/api/v1/jobs", firstBody, "order-before-restart");
      assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
      String firstId = JSON.readTree(first.body()).path("jobId").asText();
      JsonNode firstDone = awaitTerminal(firstId, Duration.ofMinutes(6));
      assertThat(firstDone.path("status").asText()).isEqualTo("COMPLETED");
      assertThat(firstDone.path("links").path("temporalUi").asText())
          .isEqualTo("http://127.0.0.1:" + role.uiPort + "/namespaces/default/workflows/" + firstId);

      phase("first job completed");
      String jobId = "killed-mid-transcribe";
      String body = "{\"sourceUrl\":\"" + SAMPLE + "\",\"jobId\":\"" + jobId + "\",\"highlights\":{\"maxCount\":1,\"minSec\":15,\"maxSec\":60}}";
      assertThat(post("/api/v1/jobs", body, null).statusCode()).isEqualTo(202);
      awaitStep(jobId, "TRANSCRIBE", Duration.ofMinutes(2));
      long serverBefore = role.temporalServer().orElseThrow().pid();

      phase("second job in TRANSCRIBE; kill -9");
      role.kill9();
      // The Temporal server outlives the JVM that started it, as after a real crash.
      assertThat(role.temporalServer()).map(ProcessHandle::pid).contains(serverBefore);

      role.start().awaitStarted(Duration.ofMinutes(3));
      phase("role restarted");
      Optional<ProcessHandle> serverAfter = role.temporalServer();
      assertThat(serverAfter).isPresent();
      assertThat(serverAfter.get().pid()).as("the stale server was replaced").isNotEqualTo(serverBefore);
      assertThat(ProcessHandle.of(serverBefore).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));

      JsonNode done = awaitTerminal(jobId, Duration.ofMinutes(6));
      assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
      assertThat(done.path("result").path("transcription").path("words").asInt()).isGreaterThan(100);
      phase("second job completed");
      Map<String, Path> artifacts = artifactFiles(done.path("result"));
      assertThat(artifacts).containsKeys("txt", "srt", "vtt", "json");
      artifacts.forEach((name, file) -> assertThat(file).as(name).isNotEmptyFile());
      String transcriptHash = sha256(artifacts.get("txt"));

      WorkflowServiceStubs stubs = stubs(role.grpcPort);
      try {
        WorkflowClient client =
            WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
        long starts = client.fetchHistory(jobId).getEvents().stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED).count();
        assertThat(starts).isEqualTo(1);
        long executions = stubs.blockingStub().countWorkflowExecutions(CountWorkflowExecutionsRequest.newBuilder()
            .setNamespace("default").setQuery("WorkflowId = '" + jobId + "'").build()).getCount();
        assertThat(executions).as("one execution of the job, ever").isEqualTo(1);
      } finally {
        stubs.shutdownNow();
      }

      JsonNode listing = JSON.readTree(get("/api/v1/jobs?pageSize=50").body());
      assertThat(listing.has("degraded")).as(listing.toString()).isFalse();
      assertThat(listing.path("jobs").findValuesAsText("jobId")).contains(firstId, jobId);

      HttpResponse<String> reused = post("/api/v1/jobs", body, null);
      assertThat(reused.statusCode()).as(reused.body()).isEqualTo(409);
      assertThat(reused.body()).contains("never reused");
      assertThat(sha256(artifacts.get("txt"))).isEqualTo(transcriptHash);

      HttpResponse<String> replay = post("/api/v1/jobs", firstBody, "order-before-restart");
      assertThat(replay.statusCode()).isEqualTo(202);
      assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
      assertThat(JSON.readTree(replay.body()).path("jobId").asText()).isEqualTo(firstId);

      long serverPid = serverAfter.get().pid();
      role.close();
      assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive))
          .as("the Temporal server stops with the role").isNotEqualTo(Optional.of(true));
    }
  }

  private static WorkflowServiceStubs stubs(int port) {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).validateAndBuildWithDefaults());
  }

  private static Map<String, Path> artifactFiles(JsonNode result) {
    Map<String, Path> files = new java.util.LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = result.path("transcription").path("artifacts").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      files.put(e.getKey(), Path.of(URI.create(e.getValue().asText())));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = result.path("artifacts").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      files.put("artifact:" + e.getKey(), Path.of(URI.create(e.getValue().asText())));
    }
    return files;
  }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  private HttpResponse<String> post(String path, String json, String idempotencyKey) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("X-API-Key", LocalRole.KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (idempotencyKey != null) {
      r.header("Idempotency-Key", idempotencyKey);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("X-API-Key", LocalRole.KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode awaitTerminal(String jobId, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = get("/api/v1/jobs/" + jobId);
        if (r.statusCode() == 200) {
          last = JSON.readTree(r.body());
          if (!last.path("status").asText().equals("RUNNING")) {
            return last;
          }
        }
      } catch (java.io.IOException notUpYet) {
        // restarting
      }
      Thread.sleep(500);
    }
    throw new AssertionError(jobId + " did not end within " + timeout + "; last view " + last);
  }

  private void awaitStep(String jobId, String step, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get("/api/v1/jobs/" + jobId);
      if (r.statusCode() == 200) {
        last = JSON.readTree(r.body());
        if (last.path("step").asText().equals(step)) {
          return;
        }
        assertThat(last.path("status").asText()).as("ended before " + step).isEqualTo("RUNNING");
      }
      Thread.sleep(100);
    }
    throw new AssertionError(jobId + " never reached " + step + "; last view " + last);
  }
}

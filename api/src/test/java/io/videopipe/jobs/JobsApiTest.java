package io.videopipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The REST API over HTTP on a real local role: embedded Temporal, both workers, FFmpeg and Vosk. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobsApiTest {
  static final String SAMPLE = Path.of("..", "samples", "talk.mp4").toAbsolutePath().normalize().toString();

  @TempDir static Path dir;

  @DynamicPropertySource
  static void storage(DynamicPropertyRegistry registry) {
    registry.add("videopipe.storage.root", () -> dir.resolve("data").toString());
    registry.add("videopipe.storage.work-dir", () -> dir.resolve("work").toString());
  }

  @Autowired TestRestTemplate http;

  ResponseEntity<JsonNode> submit(Map<String, Object> body) {
    return http.postForEntity("/api/v1/jobs", body, JsonNode.class);
  }

  JsonNode awaitJob(String jobId, Predicate<JsonNode> until) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    JsonNode job = null;
    while (System.nanoTime() < deadline) {
      job = http.getForObject("/api/v1/jobs/" + jobId, JsonNode.class);
      if (until.test(job)) {
        return job;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("job " + jobId + " never reached the expected state; last: " + job);
  }

  @Test
  void submitsAJobAndReadsItsResultWhenDone() throws Exception {
    ResponseEntity<JsonNode> accepted = submit(Map.of("sourceUrl", SAMPLE, "jobId", "api-happy"));

    assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(accepted.getBody().path("jobId").asText()).isEqualTo("api-happy");
    assertThat(accepted.getHeaders().getLocation()).hasPath("/api/v1/jobs/api-happy");

    JsonNode done = awaitJob("api-happy", j -> !j.path("status").asText().equals("RUNNING"));
    assertThat(done.path("status").asText()).as(done.toPrettyString()).isEqualTo("COMPLETED");
    assertThat(done.path("percent").asInt()).isEqualTo(100);
    assertThat(done.path("engine").asText()).isEqualTo("local");
    assertThat(done.path("result").path("transcription").path("words").asInt()).isGreaterThan(100);
    assertThat(done.path("result").path("qa").path("passed").asBoolean()).isTrue();

    // The same id again is a conflict, and the first job is untouched.
    ResponseEntity<JsonNode> again = submit(Map.of("sourceUrl", SAMPLE, "jobId", "api-happy"));
    assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat(again.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(again.getBody().path("detail").asText()).contains("api-happy", "already exists");
  }

  @Test
  void cancellingDuringTranscriptionDeletesTheJobsArtifactsAndKeepsTheReason() throws Exception {
    submit(Map.of("sourceUrl", SAMPLE, "jobId", "api-cancel"));
    JsonNode running = awaitJob("api-cancel", j -> "TRANSCRIBE".equals(j.path("step").asText()));
    assertThat(running.path("status").asText()).isEqualTo("RUNNING");

    ResponseEntity<Void> cancel =
        http.postForEntity("/api/v1/jobs/api-cancel/cancel", Map.of("reason", "wrong video uploaded"), Void.class);
    assertThat(cancel.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);

    JsonNode ended = awaitJob("api-cancel", j -> !j.path("status").asText().equals("RUNNING"));
    assertThat(ended.path("status").asText()).as(ended.toPrettyString()).isEqualTo("CANCELLED");
    assertThat(ended.path("error").path("message").asText()).contains("wrong video uploaded");
    Path job = dir.resolve("data/jobs/api-cancel");
    if (Files.exists(job)) {
      try (Stream<Path> files = Files.walk(job)) {
        assertThat(files.filter(Files::isRegularFile).toList()).as("artifacts left after cancel").isEmpty();
      }
    }
    // A job that ended cannot be cancelled again.
    assertThat(http.postForEntity("/api/v1/jobs/api-cancel/cancel", null, JsonNode.class).getStatusCode())
        .isEqualTo(HttpStatus.CONFLICT);
  }

  @Test
  void unknownJobIs404WithAProblemDetail() {
    ResponseEntity<JsonNode> missing = http.getForEntity("/api/v1/jobs/no-such-job", JsonNode.class);

    assertThat(missing.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(missing.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(missing.getBody().path("detail").asText()).isEqualTo("no job with id 'no-such-job'");
  }

  @Test
  void invalidSubmissionsAre400WithTheCause() {
    ResponseEntity<JsonNode> badEngine = submit(Map.of("sourceUrl", SAMPLE, "engine", "whisper"));
    assertThat(badEngine.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(badEngine.getBody().path("detail").asText()).contains("unknown engine 'whisper'", "local");

    ResponseEntity<JsonNode> noSource = submit(Map.of("engine", "local"));
    assertThat(noSource.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(noSource.getBody().path("detail").asText()).contains("sourceUrl is required");

    ResponseEntity<JsonNode> badPriority = submit(Map.of("sourceUrl", SAMPLE, "priority", 9));
    assertThat(badPriority.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(badPriority.getBody().path("detail").asText()).contains("priority must be 1 (highest) to 5");

    for (double budget : new double[] {0.0, -0.5}) {
      ResponseEntity<JsonNode> badBudget = submit(Map.of("sourceUrl", SAMPLE, "budgetUsd", budget));
      assertThat(badBudget.getStatusCode()).as("budget %s", budget).isEqualTo(HttpStatus.BAD_REQUEST);
      assertThat(badBudget.getBody().path("detail").asText()).contains("budgetUsd must be a positive number");
    }
  }
}

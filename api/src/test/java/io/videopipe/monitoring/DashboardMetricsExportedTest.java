package io.videopipe.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.videopipe.testing.ApiKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The operators' files name only metrics we export: the local role (embedded Temporal, both workers) runs one job of
 * the sample to the end, so every counter and timer has a sample, then each metric named in the Grafana panels'
 * queries and the alert rules must be in a scrape of {@code /actuator/prometheus}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Spring Boot's tests leave metrics exporters off (/actuator/prometheus answers 404) unless asked for.
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability
class DashboardMetricsExportedTest {
  static final String SAMPLE = Path.of("..", "samples", "talk.mp4").toAbsolutePath().normalize().toString();
  static final String KEY = "metrics-test-key-8e2b";

  @TempDir static Path dir;

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry registry) {
    registry.add("videopipe.storage.root", () -> dir.resolve("data").toString());
    registry.add("videopipe.storage.work-dir", () -> dir.resolve("work").toString());
    registry.add("videopipe.download.local-roots", () -> Path.of(SAMPLE).getParent().toString());
    registry.add("videopipe.security.bootstrap-key", () -> KEY);
    registry.add("videopipe.security.rate-limit.admin-burst", () -> "1000");
  }

  @Autowired TestRestTemplate http;

  @Test
  void everyMetricTheDashboardAndTheAlertsQueryIsExportedAfterAJob() throws Exception {
    ApiKeys.sendWith(http, KEY);
    ResponseEntity<JsonNode> accepted =
        http.postForEntity("/api/v1/jobs", Map.of("sourceUrl", SAMPLE, "jobId", "metrics-1"), JsonNode.class);
    assertThat(accepted.getStatusCode()).as(String.valueOf(accepted.getBody())).isEqualTo(HttpStatus.ACCEPTED);
    JsonNode job = null;
    for (long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos(); System.nanoTime() < deadline; ) {
      job = http.getForObject("/api/v1/jobs/metrics-1", JsonNode.class);
      if (!job.path("status").asText().equals("RUNNING")) {
        break;
      }
      Thread.sleep(1000);
    }
    assertThat(job.path("status").asText()).as(String.valueOf(job)).isIn("COMPLETED", "NEEDS_REVIEW");

    // The job counters go through the SDK's metrics scope, which reports to Micrometer once a second.
    String scrape = "";
    for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); System.nanoTime() < deadline; ) {
      ResponseEntity<String> r = http.getForEntity("/actuator/prometheus", String.class);
      assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(HttpStatus.OK);
      scrape = r.getBody();
      if (MonitoringFilesTest.samples(scrape).contains("videopipe_jobs_total")) {
        break;
      }
      Thread.sleep(1000);
    }
    assertThat(MonitoringFilesTest.samples(scrape)).contains("videopipe_jobs_total", "videopipe_job_cost_microusd_total");
    MonitoringFilesTest.assertExported(scrape);
  }
}

package io.videopipe.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videopipe.storage.LocalStorage;
import io.videopipe.testing.ActivityTestEnvironment;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CostActivitiesImplTest {
  @TempDir Path tmp;
  private LocalStorage storage;

  @RegisterExtension
  final ActivityTestEnvironment testEnv =
      ActivityTestEnvironment.newBuilder()
          .setActivityImplementations(() -> new CostActivitiesImpl(storage, new CostModel(Prices.defaults(), CostModel.Assumptions.defaults())))
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .build();

  @BeforeEach
  void setUp() {
    storage = new LocalStorage(tmp);
  }

  @Test
  void writesCostJsonWithEveryLineAndItsPrice(CostActivities activities) throws Exception {
    CostReport report = activities.computeCost(CostModelTest.request());

    assertThat(report.reportUri()).isEqualTo(storage.jobUri("job-c", "cost/cost.json").toString());
    assertThat(report.lines()).hasSize(14);
    assertThat(report.totalUsd())
        .isEqualTo(report.lines().stream().mapToDouble(CostLine::usd).sum())
        .isCloseTo(0.123232, within(1e-12));

    JsonNode json = new ObjectMapper().readTree(storage.path(URI.create(report.reportUri())).toFile());
    assertThat(json.get("jobId").asText()).isEqualTo("job-c");
    assertThat(json.get("total").asText()).isEqualTo("$0.1232");
    assertThat(json.get("totalUsd").asDouble()).isEqualTo(report.totalUsd());
    assertThat(json.get("lines")).hasSize(14);
    JsonNode deepgram = json.get("prices").get("deepgramAudioMinute");
    assertThat(deepgram.get("usd").asDouble()).isEqualTo(0.0043);
    assertThat(deepgram.get("date").asText()).isEqualTo("2026-05");
    assertThat(deepgram.get("unit").asText()).isEqualTo("audio-minute");
    assertThat(json.get("assumptions").get("localTranscribeVcpus").asDouble()).isEqualTo(2.0);
  }
}

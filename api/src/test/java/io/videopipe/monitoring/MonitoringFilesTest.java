package io.videopipe.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operators' files: the alert rules pass {@code promtool check rules}, the Grafana dashboard is valid JSON whose
 * panels all query Prometheus, and both only name metrics we export (checked against a live /actuator/prometheus by
 * {@code DashboardBrowserTest}, see {@link #assertExported}).
 */
public class MonitoringFilesTest {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path RULES = REPO.resolve("deploy/prometheus/alerts.yml");
  static final Path DASHBOARD = REPO.resolve("deploy/grafana/dashboards/videopipe.json");
  private static final Pattern METRIC = Pattern.compile("\\b((?:videopipe|temporal)_[a-z0-9_]+)\\b");
  /** Temporal SDK metrics that appear only once their event happened (a poll timeout, a failed activity, ...). */
  static final Set<String> TEMPORAL_SDK_METRICS =
      Set.of(
          "temporal_activity_schedule_to_start_latency_seconds_sum",
          "temporal_activity_schedule_to_start_latency_seconds_count",
          "temporal_worker_task_slots_available");

  @Test
  void alertRulesPassPromtool() throws Exception {
    Path promtool = Path.of(System.getenv().getOrDefault("VIDEOPIPE_PROMTOOL", "/usr/bin/promtool"));
    if (!Files.isExecutable(promtool)) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException("CI=true but " + promtool + " is missing: .ci/run installs Debian prometheus");
      }
      assumeTrue(false, "promtool not installed (apt-get install prometheus)");
    }
    Process p = new ProcessBuilder(promtool.toString(), "check", "rules", RULES.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("SUCCESS: 4 rules found");
  }

  @Test
  void theDashboardQueriesPrometheusInEveryPanel() throws IOException {
    JsonNode dash = new ObjectMapper().readTree(DASHBOARD.toFile());
    assertThat(dash.path("uid").asText()).isEqualTo("videopipe");
    assertThat(dash.path("panels")).hasSizeGreaterThanOrEqualTo(8);
    List<String> titles = new ArrayList<>();
    for (JsonNode panel : dash.path("panels")) {
      titles.add(panel.path("title").asText());
      assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("prometheus");
      assertThat(panel.path("targets")).isNotEmpty();
      panel.path("targets").forEach(t -> assertThat(t.path("expr").asText()).isNotBlank());
    }
    assertThat(String.join("|", titles).toLowerCase())
        .contains("status", "engine", "step duration", "backlog", "pollers", "gpu", "webhook", "cost per hour");
  }

  @Test
  void namesAreReadFromBothFiles() throws IOException {
    Set<String> names = metricNames();
    assertThat(names).contains("videopipe_jobs_total", "videopipe_task_queue_backlog", "videopipe_task_queue_pollers",
        "videopipe_job_cost_microusd_total", "videopipe_step_duration_seconds_count");
  }

  /** Every metric name the rules and the dashboard query. */
  public static Set<String> metricNames() throws IOException {
    Set<String> names = new TreeSet<>();
    for (Path f : List.of(RULES, DASHBOARD)) {
      Matcher m = METRIC.matcher(Files.readString(f));
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** Fails unless each name is in the scrape (or a Temporal SDK metric that appears once its event happened). */
  public static void assertExported(String scrape) throws IOException {
    Set<String> exported = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        exported.add(line.split("[{ ]", 2)[0]);
      }
    }
    for (String name : metricNames()) {
      if (!exported.contains(name)) {
        assertThat(TEMPORAL_SDK_METRICS)
            .as(name + " is queried by deploy/ but not exported at /actuator/prometheus; exported: " + exported)
            .contains(name);
      }
    }
  }
}

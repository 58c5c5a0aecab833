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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operators' files: the alert rules pass {@code promtool check rules}, the Grafana dashboard is valid JSON whose
 * panels all query Prometheus, and the metric names their PromQL reads (checked against a live /actuator/prometheus
 * by {@link DashboardMetricsExportedTest}, see {@link #assertExported}).
 */
public class MonitoringFilesTest {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path RULES = REPO.resolve("deploy/prometheus/alerts.yml");
  static final Path DASHBOARD = REPO.resolve("deploy/grafana/dashboards/videopipe.json");
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
        "videopipe_job_cost_microusd_total", "videopipe_step_duration_seconds_count",
        "temporal_worker_task_slots_available");
    // label names, functions, keywords, durations and numbers are not metrics
    assertThat(names).doesNotContain("activity", "rate", "sum", "by", "and", "clamp_min", "m", "e6", "status");
  }

  @Test
  void metricNamesAreWhatAQueryReadsNotItsFunctionsLabelsOrNumbers() {
    assertThat(metricNames("sum by (activity) (rate(x_seconds_sum{outcome=\"failed\", a=~\"b.*\"}[15m]))"
        + " / clamp_min(sum(rate(y_total[15m] offset 5m)), 1e-9) > 0.10 and on (queue) z == 0 unless"
        + " histogram_quantile(0.9, sum without (le) (w_bucket)) or vector(1)"))
        .containsExactlyInAnyOrder("x_seconds_sum", "y_total", "z", "w_bucket");
  }

  @Test
  void aQueryOfASuffixTheMetricDoesNotHaveIsNotExported() {
    String scrape = """
        # TYPE a_seconds summary
        a_seconds_count{x="1"} 2
        a_seconds_sum{x="1"} 0.5
        # TYPE a_seconds_max gauge
        a_seconds_max{x="1"} 0.3
        # TYPE b_total counter
        b_total 1
        """;
    assertThat(missing(Set.of("a_seconds_count", "a_seconds_sum", "a_seconds_max", "b_total"), scrape)).isEmpty();
    // a summary has no buckets, a counter no _count
    assertThat(missing(Set.of("a_seconds_bucket", "b_total_count", "c"), scrape))
        .containsExactly("a_seconds_bucket (family a_seconds, a summary: no _bucket series)",
            "b_total_count (family b_total, a counter: no _count series)", "c");
  }

  /** The PromQL expressions of the alert rules and of every dashboard panel. */
  static List<String> expressions() throws IOException {
    List<String> out = new ArrayList<>();
    Map<String, Object> rules = new org.yaml.snakeyaml.Yaml().load(Files.readString(RULES));
    for (Object group : (List<?>) rules.get("groups")) {
      for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
        out.add(String.valueOf(((Map<?, ?>) rule).get("expr")));
      }
    }
    for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
      panel.path("targets").forEach(t -> out.add(t.path("expr").asText()));
    }
    return out;
  }

  /** Every metric name the rules and the dashboard query. */
  public static Set<String> metricNames() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String expr : expressions()) {
      names.addAll(metricNames(expr));
    }
    return names;
  }

  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
      "group_left", "group_right", "bool", "offset", "inf", "nan");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

  /** The metric names one PromQL expression reads: identifiers that are not functions, keywords or label names. */
  static Set<String> metricNames(String expr) {
    String bare = expr
        .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'", "\"\"") // strings
        .replaceAll("\\{[^}]*}", " ") // label matchers
        .replaceAll("\\[[^\\]]*\\]", " ") // ranges and subqueries
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ") // label lists
        .replaceAll("\\boffset\\s+\\S+", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(bare);
    while (m.find()) {
      String name = m.group(1);
      if (m.group(2) == null && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        names.add(name);
      }
    }
    return names;
  }

  /** The sample names of a Prometheus text scrape (histograms and summaries with their _bucket/_count/_sum). */
  public static Set<String> samples(String scrape) {
    Set<String> exported = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        exported.add(line.split("[{ ]", 2)[0]);
      }
    }
    return exported;
  }

  /**
   * The queried names the scrape has no sample of, each with why: a name is exported only as a sample of exactly
   * that name, so {@code x_bucket} needs a histogram {@code x}, and {@code x_count} of a counter is not there.
   */
  static List<String> missing(Set<String> queried, String scrape) {
    Set<String> exported = samples(scrape);
    Map<String, String> types = new java.util.HashMap<>();
    for (String line : scrape.split("\n")) {
      String[] f = line.split(" ");
      if (f.length == 4 && f[0].equals("#") && f[1].equals("TYPE")) {
        types.put(f[2], f[3]);
      }
    }
    List<String> out = new ArrayList<>();
    for (String name : new TreeSet<>(queried)) {
      if (exported.contains(name)) {
        continue;
      }
      Matcher suffix = Pattern.compile("(.+)_(bucket|count|sum)$").matcher(name);
      String family = suffix.matches() ? suffix.group(1) : null;
      String type = family == null ? null : types.get(family);
      out.add(type == null ? name : name + " (family " + family + ", a " + type + ": no _" + suffix.group(2)
          + " series)");
    }
    return out;
  }

  /**
   * Fails unless each name is in the scrape. A Temporal SDK metric that appears only once its event happened is let
   * off only where the SDK's registry is bound, i.e. the scrape has other {@code temporal_} samples.
   */
  public static void assertExported(String scrape) throws IOException {
    Set<String> exported = samples(scrape);
    boolean sdkBound = exported.stream().anyMatch(n -> n.startsWith("temporal_"));
    List<String> missing = missing(metricNames(), scrape).stream()
        .filter(m -> !(sdkBound && TEMPORAL_SDK_METRICS.contains(m.split(" ")[0])))
        .toList();
    assertThat(missing)
        .as("queried by deploy/prometheus/alerts.yml or deploy/grafana/dashboards/videopipe.json but not exported at"
            + " /actuator/prometheus (Temporal SDK registry bound: " + sdkBound + "); exported: " + exported)
        .isEmpty();
  }
}

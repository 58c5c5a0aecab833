package io.videopipe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --only=grid} on a 10 s talk, one job and two at once, each in its own worker JVM; no timing asserts. */
class GridBenchTest {
  @TempDir Path dir;

  @Test
  void tinyGridRunsWholeJobsInWorkerJvmsAndReportsEveryFigureAndTarget() throws Exception {
    BenchTools.ffmpegCli(dir);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    BenchCommand.Options options =
        BenchCommand.Options.parse(
            new String[] {
              "--only=grid", "--grid-durations=10s", "--grid-jobs=2", "--grid-job-sec=10",
              "--cache-dir=" + dir.resolve("cache"), "--out=" + dir.resolve("b.json")
            });

    int code =
        BenchCommand.run(
            options, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(err.toString(StandardCharsets.UTF_8) + table).isZero();
    JsonNode grid = new ObjectMapper().readTree(dir.resolve("b.json").toFile()).path("sections").path("grid");
    assertThat(grid.path("status").asText()).as(grid.toString()).isEqualTo("ok");
    JsonNode points = grid.path("details").path("points");
    // the 10 s single job is also the baseline of the two concurrent jobs on the same clip
    assertThat(points).hasSize(2);
    assertThat(points.get(0).path("id").asText()).isEqualTo("single10s");
    assertThat(points.get(1).path("id").asText()).isEqualTo("jobs2x10s");
    for (JsonNode p : points) {
      assertThat(p.path("completed").asInt()).as(p.toString()).isEqualTo(p.path("jobs").asInt());
      assertThat(p.path("sourceSec").asDouble()).isBetween(9.5, 10.5);
      assertThat(p.path("perJob")).hasSize(p.path("jobs").asInt());
      assertThat(p.path("peakRssBytes").asLong()).isGreaterThan(p.path("idleRssBytes").asLong() / 2).isPositive();
      assertThat(p.path("peakHeapBeforeGcBytes").asLong()).isPositive();
      assertThat(p.path("processCpuSec").asDouble()).isPositive();
      assertThat(p.path("cpuUtilisation").asDouble()).isPositive();
      assertThat(p.path("jobsPerHour").asDouble()).isPositive();
      assertThat(p.path("jobPerSource").asDouble()).isPositive();
      JsonNode shares = p.path("stepShares");
      assertThat(shares.fieldNames()).toIterable().containsAll(GridBench.STEPS).contains("other");
      double sum = 0;
      for (JsonNode v : shares) {
        sum += v.asDouble();
      }
      assertThat(sum).isBetween(0.99, 1.01);
      assertThat(shares.path("transcribe").asDouble()).isPositive();
      assertThat(p.path("nonTranscriptionShare").asDouble()).isCloseTo(1 - shares.path("transcribe").asDouble(),
          org.assertj.core.data.Offset.offset(1e-9));
    }
    JsonNode targets = grid.path("details").path("targets");
    assertThat(targets).hasSize(3);
    assertThat(targets.get(0).path("verdict").asText()).isEqualTo("NOT RUN"); // no 45-min talk in this grid
    assertThat(targets.get(1).path("verdict").asText()).isEqualTo("NOT RUN"); // one length cannot show flatness
    assertThat(targets.get(2).path("verdict").asText()).isIn("PASS", "FAIL");
    assertThat(targets.get(2).path("measured").asText()).contains("N=2: 2/2 completed");
    assertThat(table).contains("grid point", "2 jobs x 10 s", "concurrentJobs: 1 at a time");
  }

  @Test
  void targetsPassAndFailOnTheirFigures() {
    GridBench.Point five = single(300, 700, 0.05);
    GridBench.Point talk = single(2700, 740, 0.08);
    GridBench.Point slow = single(2700, 740, 0.12);
    GridBench.Point grown = single(7200, 1100, 0.05);

    List<GridBench.Target> ok = GridBench.targets(List.of(five, talk), null, List.of());
    assertThat(ok.get(0).verdict()).isEqualTo("PASS");
    assertThat(ok.get(0).measured()).startsWith("8.0 %");
    assertThat(ok.get(1).verdict()).isEqualTo("PASS");
    assertThat(ok.get(1).measured()).contains("5 min 700 MiB", "45 min 740 MiB", "covers 5 min to 45 min only");
    assertThat(ok.get(2).verdict()).isEqualTo("NOT RUN");

    List<GridBench.Target> bad = GridBench.targets(List.of(five, slow, grown), null, List.of());
    assertThat(bad.get(0).verdict()).isEqualTo("FAIL");
    assertThat(bad.get(1).verdict()).isEqualTo("FAIL"); // 1100 MiB: over 1 GiB and 1.57x the 5-minute peak

    GridBench.Point one = concurrent(120, 1, 100);
    assertThat(GridBench.targets(List.of(), one, List.of(concurrent(120, 2, 150))).get(2).verdict()).isEqualTo("PASS");
    // slower than one at a time: 2 jobs in 250 s is 28.8 jobs/h against 36
    assertThat(GridBench.targets(List.of(), one, List.of(concurrent(120, 2, 250))).get(2).verdict()).isEqualTo("FAIL");
  }

  @Test
  void durationsTakeUnitsAndPlainMinutes() {
    assertThat(GridBench.Plan.seconds("--grid-durations", "90s")).isEqualTo(90);
    assertThat(GridBench.Plan.seconds("--grid-durations", "45m")).isEqualTo(2700);
    assertThat(GridBench.Plan.seconds("--grid-durations", "2h")).isEqualTo(7200);
    assertThat(GridBench.Plan.seconds("--grid-durations", "5")).isEqualTo(300);
    assertThatThrownBy(() -> GridBench.Plan.seconds("--grid-durations", "0.5s")).hasMessageContaining("at least 1 s");
    assertThatThrownBy(() -> BenchCommand.Options.parse(new String[] {"--grid-durations=5m,x"}))
        .hasMessageContaining("--grid-durations");
    // the grid takes hours at full size: a plain bench leaves it out
    assertThat(BenchCommand.Options.parse(new String[0]).only()).doesNotContain("grid").contains("memory");
    assertThat(BenchCommand.Options.parse(new String[] {"--only=grid"}).grid().durationsSec())
        .containsExactly(300.0, 1200.0, 2700.0, 7200.0);
  }

  /** A single-job point whose job spent {@code nonTranscription} of its time outside transcription. */
  private static GridBench.Point single(double sec, double rssMib, double nonTranscription) {
    Map<String, Object> job =
        Map.of("status", "COMPLETED", "wallSec", sec * 0.2,
            "timings", Map.of("total", 100.0, "transcribe", 100 * (1 - nonTranscription), "render", 100 * nonTranscription));
    return new GridBench.Point("single", sec, 1,
        Map.of("sourceSec", sec, "spanSec", sec * 0.2, "peakRssBytes", rssMib * (1 << 20), "perJob", List.of(job)));
  }

  private static GridBench.Point concurrent(double sec, int jobs, double spanSec) {
    Map<String, Object> job = Map.of("status", "COMPLETED", "wallSec", spanSec, "timings", Map.of("total", spanSec));
    return new GridBench.Point(jobs == 1 ? "baseline" : "concurrent", sec, jobs,
        Map.of("sourceSec", sec, "spanSec", spanSec, "perJob", java.util.Collections.nCopies(jobs, job)));
  }
}

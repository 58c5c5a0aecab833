package io.videopipe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The table and JSON a bench run prints, and its command line. */
class BenchReportTest {
  private static final MachineInfo MACHINE =
      new MachineInfo(2, "AMD EPYC", 24L << 30, "17.0.15", "OpenJDK 64-Bit Server VM", "Linux 6 amd64", 1.5);

  private static BenchReport report() {
    BenchReport r = new BenchReport(MACHINE, true, Instant.parse("2026-11-23T22:00:00Z"));
    r.add(
        new Section("extract")
            .figure("oursWallSec", "ours: wall", 0.1234, "s")
            .figure("wallRatio", "wall ours/CLI", 0.6831, "x")
            .figure("speed", "ours: speed", 328.6, "x realtime")
            .detail("runs", List.of(0.1, 0.2))
            .note("a note"));
    r.add(new Section("parakeet").skipped("no --parakeet-model=DIR given"));
    r.add(new Section("memory").figure("peakRssRatio", "peak RSS long/short", Double.NaN, "x"));
    r.finish(2.25);
    return r;
  }

  @Test
  void tablePrintsMachineAlignedFiguresAndNotes() {
    String table = report().table();
    List<String> lines = table.lines().toList();

    assertThat(lines.get(0)).contains("--quick");
    assertThat(lines.get(1)).contains("2 cores", "AMD EPYC", "24.0 GiB RAM", "Java 17.0.15", "load average 1.50", "at end 2.25");
    List<String> rows = lines.subList(2, 8);
    assertThat(rows.get(0)).startsWith("section").contains("figure", "value", "unit");
    assertThat(rows).anySatisfy(l -> assertThat(l).contains("ours: wall").contains("0.123  s"));
    assertThat(rows).anySatisfy(l -> assertThat(l).contains("ours: speed").contains("329  x realtime"));
    assertThat(rows).anySatisfy(l -> assertThat(l).startsWith("parakeet").contains("skipped"));
    assertThat(rows).anySatisfy(l -> assertThat(l).contains("peak RSS long/short").contains("n/a"));
    // the value column is right-aligned: every number ends at the same column
    int end = rows.get(1).indexOf("0.123") + "0.123".length();
    assertThat(rows.get(2).indexOf("0.683") + "0.683".length()).isEqualTo(end);
    assertThat(rows.get(3).indexOf("329") + 3).isEqualTo(end);
    assertThat(table).contains("note (extract): a note", "note (parakeet): no --parakeet-model=DIR given");
  }

  @Test
  void jsonCarriesMachineEveryFigureAndNullForUnmeasured() throws Exception {
    JsonNode j = new ObjectMapper().readTree(report().json());

    assertThat(j.path("mode").asText()).isEqualTo("quick");
    assertThat(j.path("startedAt").asText()).isEqualTo("2026-11-23T22:00:00Z");
    assertThat(j.path("machine").path("cores").asInt()).isEqualTo(2);
    assertThat(j.path("machine").path("cpuModel").asText()).isEqualTo("AMD EPYC");
    assertThat(j.path("machine").path("loadAverageAtEnd").asDouble()).isEqualTo(2.25);
    JsonNode extract = j.path("sections").path("extract");
    assertThat(extract.path("status").asText()).isEqualTo("ok");
    assertThat(extract.path("figures").path("wallRatio").path("value").asDouble()).isEqualTo(0.6831);
    assertThat(extract.path("figures").path("wallRatio").path("unit").asText()).isEqualTo("x");
    assertThat(extract.path("details").path("runs").size()).isEqualTo(2);
    assertThat(j.path("sections").path("parakeet").path("status").asText()).isEqualTo("skipped");
    JsonNode ratio = j.path("sections").path("memory").path("figures").path("peakRssRatio");
    assertThat(ratio.has("value")).isTrue();
    assertThat(ratio.path("value").isNull()).isTrue();
  }

  @Test
  void numbersKeepAboutThreeSignificantDigits() {
    assertThat(BenchReport.number(1234.5)).isEqualTo("1235");
    assertThat(BenchReport.number(12.345)).isEqualTo("12.3");
    assertThat(BenchReport.number(1.2345)).isEqualTo("1.23");
    assertThat(BenchReport.number(0.012345)).isEqualTo("0.012");
    assertThat(BenchReport.number(Double.POSITIVE_INFINITY)).isEqualTo("inf");
  }

  @Test
  void commandLineSelectsSectionsAndRejectsUnknownOnes() {
    BenchCommand.Options o =
        BenchCommand.Options.parse(
            new String[] {"--only=extract,memory", "--quick", "--out=x.json", "--parakeet-model=/m", "--jobs=1,5"});
    assertThat(o.only()).isEqualTo(Set.of("extract", "memory"));
    assertThat(o.quick()).isTrue();
    assertThat(o.out()).isEqualTo(Path.of("x.json"));
    assertThat(o.parakeetModel()).isEqualTo(Path.of("/m"));
    assertThat(o.jobs()).containsExactly(1, 5);
    assertThat(BenchCommand.Options.parse(new String[0]).only()).containsExactlyElementsOf(BenchCommand.DEFAULT_SECTIONS);
    assertThat(BenchCommand.Options.parse(new String[0]).out()).isEqualTo(Path.of("bench-results.json"));

    assertThatThrownBy(() -> BenchCommand.Options.parse(new String[] {"--only=extract,gpu"}))
        .hasMessageContaining("unknown section 'gpu'");
    assertThatThrownBy(() -> BenchCommand.Options.parse(new String[] {"--out"})).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> BenchCommand.Options.parse(new String[] {"--jobs=0"})).hasMessageContaining("positive");
  }

  @Test
  void childCpuTimeIsReadFromProcStat() {
    // pid (comm with spaces) state ppid ... utime(14) stime(15) cutime(16) cstime(17) ...
    String stat = "4242 (java main) S 1 4242 4242 0 -1 4194304 100 0 0 0 500 60 123 77 20 0 40 0 100 0";
    assertThat(FfmpegCli.parseChildrenCpuSec(stat)).isEqualTo(2.0);
  }

  @Test
  void memoryProbeChildRunsTheSameJavaAndClasspath() {
    List<String> cmd = MemoryBench.javaCommand("-Xmx1g");
    assertThat(Path.of(cmd.get(0)).getFileName().toString()).startsWith("java");
    assertThat(cmd.get(1)).isEqualTo("-Xmx1g");
    // tests load classes from the plain classpath: -cp with the main class, not -jar
    assertThat(cmd.subList(2, cmd.size()))
        .containsExactly("-cp", System.getProperty("java.class.path"), "io.videopipe.VideoPipeApplication");
  }
}

package io.videopipe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --only=extract --quick} end to end: generated 1080p input, our extraction against the ffmpeg CLI. */
class BenchSmokeTest {
  @TempDir Path dir;

  @Test
  void extractSectionComparesBothSidesOnTheSameFile() throws Exception {
    BenchTools.ffmpegCli(dir);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    BenchCommand.Options options =
        BenchCommand.Options.parse(
            new String[] {
              "--only=extract", "--quick", "--runs=1", "--cache-dir=" + dir.resolve("cache"), "--out=" + dir.resolve("b.json")
            });

    int code =
        BenchCommand.run(
            options, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(err.toString(StandardCharsets.UTF_8) + table).isZero();
    assertThat(table).contains("wall ours/CLI", "CPU ours/CLI", "machine: ");
    JsonNode extract = new ObjectMapper().readTree(dir.resolve("b.json").toFile()).path("sections").path("extract");
    assertThat(extract.path("status").asText()).isEqualTo("ok");
    assertThat(extract.path("figures").path("wallRatio").path("value").asDouble()).isPositive();
    assertThat(extract.path("figures").path("cliCpuSec").path("value").asDouble()).isPositive();
    assertThat(extract.path("details").path("inputBytes").asLong()).isGreaterThan(1_000_000);
    // both sides decoded the same minute of audio at 16 kHz
    assertThat(extract.path("details").path("oursSamples").asLong()).isBetween(59L * 16000, 61L * 16000);
    assertThat(extract.path("details").path("cliSamples").asLong())
        .isCloseTo(extract.path("details").path("oursSamples").asLong(), org.assertj.core.data.Offset.offset(1600L));
  }
}

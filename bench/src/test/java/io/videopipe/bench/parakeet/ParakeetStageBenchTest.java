package io.videopipe.bench.parakeet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videopipe.parakeet.SyntheticParakeet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The bench-parakeet command on the synthetic model directory and the committed espeak-ng sample. */
@Timeout(180)
class ParakeetStageBenchTest {
  static final Path SAMPLE =
      Path.of("..", "activities-cpu", "src", "test", "resources", "speech", "three-sentences.wav")
          .toAbsolutePath()
          .normalize();

  /** scripts/gpu-check.sh sets it on a GPU machine: the same check then runs on the CUDA execution provider. */
  static final boolean CUDA = Boolean.getBoolean("videopipe.bench.cuda");

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int bench(String... args) {
    return ParakeetStageBench.run(
        args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void printsAndWritesTheRealTimeFactorOfEachStagePerBatchSizeAndForConcurrentJobs() throws Exception {
    Path model = SyntheticParakeet.writeDesigned(dir.resolve("model"));
    Path json = dir.resolve("out/bench.json");
    List<String> args =
        new java.util.ArrayList<>(
            List.of(model.toString(), SAMPLE.toString(), "--runs", "2", "--batches", "1,8", "--jobs", "3", "--json",
                json.toString()));
    if (!CUDA) {
      args.add("--cpu");
    }
    int rc = bench(args.toArray(String[]::new));
    String printed = out.toString(StandardCharsets.UTF_8);
    System.out.print(printed);

    assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(printed).contains(CUDA ? "on CUDA device 0 (VAD on CUDA device 0)" : "on CPU (VAD on CPU)")
        .contains("12.3 s of audio in 3 segments, mean of 2 runs");
    for (String stage : List.of("audio decode", "VAD", "frontend", "encoder", "decoding", "overall")) {
      Matcher row = Pattern.compile("(?m)^" + stage + " +([0-9.]+) +([0-9.]+|Infinity)$").matcher(printed);
      assertThat(row.find()).as("a row for %s in%n%s", stage, printed).isTrue();
      assertThat(Double.parseDouble(row.group(2))).as("RTFx of %s", stage).isPositive();
    }
    assertThat(printed).contains("batch 1 (").contains("batch 8 (").contains("words: 9")
        .contains("text: the pipeline works the pipeline works the pipeline works");
    Matcher parallel =
        Pattern.compile("(?m)^parallel +3 transcriptions at once: .* overall RTFx ([0-9.]+), 9 segments in (\\d+) "
            + "encoder runs$").matcher(printed);
    assertThat(parallel.find()).as(printed).isTrue();

    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.path("audioSec").asDouble()).isBetween(12.2, 12.4);
    assertThat(report.path("segments").asInt()).isEqualTo(3);
    assertThat(report.path("text").asText()).isEqualTo("the pipeline works the pipeline works the pipeline works");
    assertThat(report.path("machine").path("cores").asInt()).isPositive();
    // On a GPU the VAD runs there too, and its CPU run is measured beside it.
    assertThat(report.path("vadProvider").asText()).isEqualTo(CUDA ? "CUDA device 0" : "CPU");
    assertThat(report.path("vadCpuRtfx").isMissingNode()).isEqualTo(!CUDA);
    assertThat(report.path("batches")).hasSize(2);
    JsonNode b8 = report.path("batches").get(1);
    assertThat(b8.path("batch").asInt()).isEqualTo(8);
    for (String stage : List.of("vad", "frontend", "encoder", "decoding", "transcription", "decodeVadFrontend")) {
      assertThat(b8.path("rtfx").path(stage).asDouble()).as(stage).isPositive();
    }
    // Batch 1 runs the encoder once per segment; with batch 8, three jobs' nine segments share fewer runs.
    JsonNode c = report.path("concurrent");
    assertThat(c).hasSize(2);
    assertThat(c.get(0).path("encoderRuns").asInt()).isEqualTo(9);
    assertThat(c.get(1).path("segmentsEncoded").asInt()).isEqualTo(9);
    assertThat(c.get(1).path("encoderRuns").asInt()).isBetween(1, 8);
  }

  @Test
  void badArgumentsAndABadModelDirectorySayWhatIsWrong() throws Exception {
    assertThat(bench("only-one")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage:");
    assertThat(bench("m", "a.wav", "--batch")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--batch needs a value");
    assertThat(bench("m", "a.wav", "--fast")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --fast");
    assertThat(bench("m", "a.wav", "--batches", "4,0")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--batches needs positive whole numbers, got '0'");

    assertThat(bench(dir.resolve("missing").toString(), SAMPLE.toString(), "--cpu")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not exist");
  }
}

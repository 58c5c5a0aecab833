package io.videopipe.parakeet;

import static org.assertj.core.api.Assertions.assertThat;

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
class ParakeetBenchmarkTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int bench(String... args) {
    return ParakeetBenchmark.run(
        args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void printsTheRealTimeFactorOfEachStageAndOverall() throws Exception {
    Path model = SyntheticParakeet.writeDesigned(dir.resolve("model"));
    int rc =
        bench(model.toString(), SileroVadTest.SAMPLE.toString(), "--runs", "2", "--batch", "8", "--parallel", "3");
    String printed = out.toString(StandardCharsets.UTF_8);
    System.out.print(printed);

    assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(printed).contains("on CPU").contains("12.3 s of audio in 3 segments, batch 8, mean of 2 runs");
    for (String stage : List.of("VAD", "frontend", "encoder", "decoding", "overall")) {
      Matcher row = Pattern.compile("(?m)^" + stage + " +([0-9.]+) +([0-9.]+|Infinity)$").matcher(printed);
      assertThat(row.find()).as("a row for %s in%n%s", stage, printed).isTrue();
      assertThat(Double.parseDouble(row.group(2))).as("RTFx of %s", stage).isPositive();
    }
    assertThat(printed).contains("words: 9")
        .contains("text: the pipeline works the pipeline works the pipeline works");
    Matcher parallel =
        Pattern.compile("(?m)^parallel +3 transcriptions at once: .* overall RTFx ([0-9.]+), 9 segments in (\\d+) "
            + "encoder runs$").matcher(printed);
    assertThat(parallel.find()).as(printed).isTrue();
    // Each transcription submits its three segments together, so some of them share a run.
    assertThat(Integer.parseInt(parallel.group(2))).isBetween(1, 8);
  }

  @Test
  void badArgumentsAndABadModelDirectorySayWhatIsWrong() throws Exception {
    assertThat(bench("only-one")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage:");
    assertThat(bench("m", "a.wav", "--batch")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--batch needs a value");
    assertThat(bench("m", "a.wav", "--fast")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --fast");

    assertThat(bench(dir.resolve("missing").toString(), SileroVadTest.SAMPLE.toString(), "--cpu")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not exist");
  }
}

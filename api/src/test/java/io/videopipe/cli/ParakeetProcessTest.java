package io.videopipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videopipe.VideoPipeApplication;
import io.videopipe.parakeet.SyntheticParakeet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code process --engine parakeet} with PARAKEET_MODEL_DIR set to the synthetic model: the GPU worker runs Parakeet
 * on the CPU execution provider (this machine has no GPU) through the workflow to COMPLETED.
 */
class ParakeetProcessTest {
  @TempDir static Path dir;
  static ConfigurableApplicationContext ctx;

  @BeforeAll
  static void start() throws Exception {
    Path model = SyntheticParakeet.writeDesigned(dir.resolve("model"));
    ctx =
        VideoPipeApplication.processApplication()
            .run(
                "--videopipe.storage.root=" + dir.resolve("data"),
                "--videopipe.storage.work-dir=" + dir.resolve("work"),
                "--videopipe.download.allow-plain-http=true",
                "--videopipe.download.local-roots=" + Path.of("..").toAbsolutePath().normalize(),
                "--videopipe.engines.parakeet.model-dir=" + model);
  }

  @AfterAll
  static void stop() {
    if (ctx != null) {
      ctx.close();
    }
  }

  @Test
  void processRunsParakeetToCompletedAndWritesTheDesignedTranscript() throws Exception {
    Path out = dir.resolve("out");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code =
        ProcessCommand.run(
            ProcessCommand.Options.parse(
                new String[] {
                  ProcessCommandTest.SAMPLE.toString(), "--engine", "parakeet", "--out", out.toString(),
                  "--job-id", "parakeet-e2e"
                }),
            ctx,
            new PrintStream(stdout, true, StandardCharsets.UTF_8),
            new PrintStream(stderr, true, StandardCharsets.UTF_8));
    JsonNode j = new ObjectMapper().readTree(stdout.toString(StandardCharsets.UTF_8));
    String context = stderr.toString(StandardCharsets.UTF_8) + j.toPrettyString();

    assertThat(j.path("status").asText()).as(context).isEqualTo("COMPLETED");
    assertThat(code).as(context).isIn(0, 3);
    JsonNode t = j.path("transcription");
    assertThat(t.path("engine").asText()).as(context).isEqualTo("parakeet");
    assertThat(t.path("fallbacks")).as(context).isEmpty();

    // Every speech segment the VAD found decodes to the model's designed words, in order.
    String text = t.path("text").asText();
    List<String> words = Arrays.asList(text.split(" "));
    assertThat(words.size()).as(text).isGreaterThanOrEqualTo(6).isEqualTo(3 * (words.size() / 3));
    for (int i = 0; i < words.size(); i += 3) {
      assertThat(String.join(" ", words.subList(i, i + 3))).isEqualTo(SyntheticParakeet.DESIGNED_TEXT);
    }
    JsonNode json = new ObjectMapper().readTree(Path.of(t.path("artifacts").path("json").asText()).toFile());
    double previous = -1;
    for (JsonNode w : json.path("words")) {
      assertThat(w.path("start").asDouble()).isGreaterThan(previous).isLessThan(67.5);
      previous = w.path("start").asDouble();
    }
    for (String format : List.of("json", "srt", "vtt", "txt")) {
      assertThat(Files.size(Path.of(t.path("artifacts").path(format).asText()))).as(format).isPositive();
    }
  }
}

package io.videopipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videopipe.clip.ClipInspector;
import io.videopipe.loudness.LoudnessMeter;
import io.videopipe.testing.LocalRole;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job end to end: the committed sample through the embedded server, real FFmpeg and real Vosk. */
class ProcessCommandTest {
  static final Path SAMPLE = Path.of("..", "samples", "talk.mp4").toAbsolutePath().normalize();

  @TempDir static Path dir;

  record Run(int exitCode, JsonNode json, String stderr) {}

  static Run process(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ProcessCommand.run(
            ProcessCommand.Options.parse(args),
            LocalRole.context(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String stdout = out.toString(StandardCharsets.UTF_8);
    return new Run(code, new ObjectMapper().readTree(stdout), err.toString(StandardCharsets.UTF_8));
  }

  static double wordErrorRate(String reference, String hypothesis) {
    String[] ref = reference.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z' ]", " ").trim().split("\\s+");
    String[] hyp = hypothesis.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z' ]", " ").trim().split("\\s+");
    int[] prev = new int[hyp.length + 1];
    int[] cur = new int[hyp.length + 1];
    for (int j = 0; j <= hyp.length; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= ref.length; i++) {
      cur[0] = i;
      for (int j = 1; j <= hyp.length; j++) {
        int substitution = prev[j - 1] + (ref[i - 1].equals(hyp[j - 1]) ? 0 : 1);
        cur[j] = Math.min(substitution, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[hyp.length] / (double) ref.length;
  }

  @Test
  void processesTheSampleEndToEndAndPrintsTheJsonContract() throws Exception {
    Path out = dir.resolve("out");

    Run run = process(SAMPLE.toString(), "--out", out.toString(), "--job-id", "sample-e2e");

    JsonNode j = run.json();
    assertThat(run.exitCode()).as(run.stderr() + j.toPrettyString()).isZero();
    assertThat(j.path("jobId").asText()).isEqualTo("sample-e2e");
    assertThat(j.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(run.stderr()).contains("transcribe", "COMPLETED");

    JsonNode source = j.path("source");
    assertThat(source.path("uri").asText()).endsWith("talk.mp4");
    assertThat(source.path("durationSec").asDouble()).isBetween(65.5, 67.5);
    assertThat(source.path("sha256").asText()).hasSize(64);
    assertThat(source.path("video").get(0).path("codec").asText()).isEqualTo("h264");
    assertThat(source.path("video").get(0).path("width").asInt()).isEqualTo(426);
    assertThat(source.path("audio").get(0).path("codec").asText()).isEqualTo("aac");
    assertThat(source.path("audio").get(0).path("channels").asInt()).isEqualTo(2);

    JsonNode t = j.path("transcription");
    assertThat(t.path("engine").asText()).isEqualTo("local");
    assertThat(t.path("fallbacks")).isEmpty();
    assertThat(t.path("words").asInt()).isGreaterThan(120);
    String text = t.path("text").asText();
    assertThat(text).contains("pipeline", "transcript", "highlights");
    // Measured 0.086 for the flite voice through AAC and Vosk; the bound leaves room for Vosk's run-to-run jitter.
    String reference = Files.readString(SAMPLE.resolveSibling("talk.txt"));
    assertThat(wordErrorRate(reference, text)).isLessThan(0.20);
    for (String format : List.of("json", "srt", "vtt", "txt")) {
      Path artifact = Path.of(t.path("artifacts").path(format).asText());
      assertThat(artifact).as(format).exists().startsWith(out);
      assertThat(Files.size(artifact)).as(format).isPositive();
    }
    assertThat(Files.readString(Path.of(t.path("artifacts").path("vtt").asText()))).startsWith("WEBVTT");

    JsonNode highlights = j.path("highlights");
    assertThat(highlights.size()).isBetween(1, 5);
    List<double[]> spans = new ArrayList<>();
    for (JsonNode h : highlights) {
      double start = h.path("startSec").asDouble();
      double end = h.path("endSec").asDouble();
      assertThat(end - start).isBetween(15.0, 60.0);
      assertThat(h.path("text").asText()).isNotBlank();
      assertThat(h.path("score").asDouble()).isBetween(0.0, 1.0);
      for (double[] other : spans) {
        assertThat(end <= other[0] || start >= other[1]).as("highlights overlap").isTrue();
      }
      spans.add(new double[] {start, end});
    }

    JsonNode qa = j.path("qa");
    assertThat(qa.path("passed").asBoolean()).as(qa.toPrettyString()).isTrue();
    assertThat(qa.path("checks").size()).isGreaterThanOrEqualTo(5);
    assertThat(qa.toString()).contains("LUFS");

    // Clips: one per highlight, playable files that an independent measurement holds to the loudness target.
    JsonNode clips = j.path("clips");
    assertThat(clips.size()).isEqualTo(highlights.size());
    ClipInspector inspector = new ClipInspector();
    LoudnessMeter meter = new LoudnessMeter();
    double loudest = -100;
    double quietest = 0;
    for (JsonNode c : clips) {
      String name = String.format("clip-%02d", c.path("rank").asInt());
      Path mp4 = Path.of(j.path("files").path(name + ".mp4").asText());
      assertThat(mp4).startsWith(out).exists();
      assertThat(Path.of(j.path("files").path(name + ".vtt").asText())).exists();
      ClipInspector.Report report = inspector.inspect(mp4);
      assertThat(report.videoCodec()).isEqualTo("h264");
      assertThat(report.profile()).isEqualTo(100);
      assertThat(report.level()).isEqualTo(40);
      assertThat(report.pixelFormat()).isEqualTo("yuv420p");
      assertThat(report.frameColour()).isEqualTo("bt709/bt709/bt709");
      assertThat(report.audioCodec()).isEqualTo("aac");
      assertThat(report.sampleRate()).isEqualTo(48_000);
      assertThat(report.channels()).isEqualTo(2);
      assertThat(report.decodeErrors()).isZero();
      assertThat(report.moovFirst()).isTrue();
      double highlightSec = highlights.get(c.path("rank").asInt() - 1).path("endSec").asDouble()
          - highlights.get(c.path("rank").asInt() - 1).path("startSec").asDouble();
      assertThat(report.durationSec()).isCloseTo(highlightSec, offset(1.0 / report.fps()));
      double lufs = meter.measure(mp4).integratedLufs();
      assertThat(lufs).as(name).isBetween(-15.0, -13.0);
      loudest = Math.max(loudest, lufs);
      quietest = Math.min(quietest, lufs);
    }
    assertThat(loudest - quietest).as("loudness spread").isLessThanOrEqualTo(1.5);
    assertThat(qa.path("checks").findValuesAsText("name")).contains("clip.loudnessSpread", "clip.decode");

    // The ledger explains every cent: priced, dated, sourced lines that add up to the total; every engine compared.
    JsonNode cost = j.path("cost");
    assertThat(cost.path("totalUsd").asDouble()).isPositive().isLessThan(0.05);
    assertThat(cost.path("lines").size()).isGreaterThanOrEqualTo(5);
    double sum = 0;
    for (JsonNode line : cost.path("lines")) {
      assertThat(line.path("priceDate").asText()).matches("\\d{4}-\\d{2}");
      assertThat(line.path("priceSource").asText()).isNotBlank();
      assertThat(line.path("usd").asDouble())
          .isCloseTo(line.path("quantity").asDouble() * line.path("unitPriceUsd").asDouble(),
              offset(1e-12));
      sum += line.path("usd").asDouble();
    }
    assertThat(sum).isCloseTo(cost.path("totalUsd").asDouble(), offset(1e-12));
    assertThat(cost.path("lines").findValuesAsText("step")).contains("RENDER", "TRANSCRIBE/local", "STORAGE");
    assertThat(cost.path("alternatives").findValuesAsText("engine")).containsExactly("LOCAL", "PARAKEET", "DEEPGRAM");
    assertThat(cost.path("alternatives").get(0).path("actual").asBoolean()).isTrue();
    assertThat(j.path("files").path("cost.json").asText()).endsWith("cost.json");

    JsonNode timings = j.path("timings");
    assertThat(timings.path("totalSec").asDouble()).isPositive();
    for (String step :
        List.of("download", "extract_audio", "route", "transcribe", "highlight", "render", "qa", "cost")) {
      assertThat(timings.path("steps").has(step)).as("timing of " + step + " in " + timings).isTrue();
    }
    assertThat(j.has("error")).isFalse();
    // The downloaded copy of the source is an intermediate: gone after success unless --keep-source.
    assertThat(out.resolve("source")).doesNotExist();
    assertThat(out.resolve("audio/audio.wav")).exists();
  }
}

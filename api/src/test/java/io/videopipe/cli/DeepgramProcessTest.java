package io.videopipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.client.WorkflowClient;
import io.videopipe.VideoPipeApplication;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code process --engine deepgram} end to end: embedded Temporal, real FFmpeg, the real Deepgram engine talking to a
 * local server that speaks Deepgram's protocol. The key is a worker setting (DEEPGRAM_API_KEY in production), never job
 * input: it must not appear in the history, the result or the logs.
 */
public class DeepgramProcessTest {
  static final String KEY = "dg-e2e-key-7d0c2b9e41";
  static final Path SAMPLE = ProcessCommandTest.SAMPLE;

  @TempDir static Path dir;
  static MockWebServer deepgram;
  static ConfigurableApplicationContext ctx;
  static ListAppender<ILoggingEvent> logs;
  static volatile boolean outOfCredit;
  static long audioBytes;

  @BeforeAll
  static void start() throws Exception {
    String body = deepgramAnswer(Files.readString(SAMPLE.resolveSibling("talk.txt")), 66.0);
    deepgram = new MockWebServer();
    deepgram.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            if (!request.getPath().startsWith("/v1/listen?")) {
              return new MockResponse().setResponseCode(404);
            }
            if (!("Token " + KEY).equals(request.getHeader("Authorization"))) {
              return error(401, "INVALID_AUTH", "Invalid credentials.");
            }
            audioBytes = request.getBodySize();
            if (outOfCredit) {
              // Deepgram-like servers may echo what they got; the engine must not pass the key on.
              return error(402, "ASR_PAYMENT_REQUIRED", "Project has insufficient credits for key " + KEY);
            }
            return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
          }
        });
    deepgram.start();
    ctx =
        VideoPipeApplication.processApplication()
            .run(
                "--videopipe.storage.root=" + dir.resolve("data"),
                "--videopipe.storage.work-dir=" + dir.resolve("work"),
                "--videopipe.download.local-roots=" + SAMPLE.getParent(),
                "--videopipe.engines.deepgram.base-url=" + deepgram.url("/"),
                "--videopipe.engines.deepgram.api-key=" + KEY);
    // After start-up: Spring re-initialises logback while the context starts.
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
  }

  @AfterAll
  static void stop() throws Exception {
    if (logs != null) {
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }
    if (ctx != null) {
      ctx.close();
    }
    deepgram.shutdown();
  }

  static MockResponse error(int code, String errCode, String errMsg) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody("{\"err_code\":\"" + errCode + "\",\"err_msg\":\"" + errMsg
            + "\",\"request_id\":\"e2e00000-0000-4000-8000-000000000402\"}");
  }

  /** The reference text as Deepgram would answer it: one word every few hundred ms over the speech. */
  public static String deepgramAnswer(String text, double durationSec) {
    ObjectMapper json = new ObjectMapper();
    String[] tokens = text.strip().split("\\s+");
    double step = (durationSec - 2.0) / tokens.length;
    ArrayNode words = json.createArrayNode();
    for (int i = 0; i < tokens.length; i++) {
      double start = 1.0 + i * step;
      words.addObject()
          .put("word", tokens[i].toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9']", ""))
          .put("start", start)
          .put("end", start + step * 0.9)
          .put("confidence", 0.97)
          .put("punctuated_word", tokens[i])
          .put("speaker", 0)
          .put("speaker_confidence", 0.9);
    }
    ObjectNode root = json.createObjectNode();
    root.putObject("metadata")
        .put("request_id", "e2e00000-0000-4000-8000-000000000200")
        .put("sha256", "00")
        .put("created", "2026-11-23T20:00:00.000Z")
        .put("duration", durationSec)
        .put("channels", 1)
        .putArray("models").add("1abfe86b-e047-4eed-858a-35e5625b41ee");
    ObjectNode results = root.putObject("results");
    ObjectNode alternative = results.putArray("channels").addObject().putArray("alternatives").addObject();
    alternative.put("transcript", text.strip()).put("confidence", 0.97).set("words", words);
    results.putArray("utterances").addObject()
        .put("start", 1.0).put("end", durationSec - 1.0).put("confidence", 0.97).put("channel", 0)
        .put("transcript", text.strip()).put("speaker", 0).put("id", "u1").set("words", json.createArrayNode());
    return root.toString();
  }

  record Run(int exitCode, JsonNode json, String stdout, String stderr) {}

  static Run process(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ProcessCommand.run(
            ProcessCommand.Options.parse(args),
            ctx,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String stdout = out.toString(StandardCharsets.UTF_8);
    return new Run(code, new ObjectMapper().readTree(stdout), stdout, err.toString(StandardCharsets.UTF_8));
  }

  static void assertKeyNowhere(String jobId, Run run) {
    String history = ctx.getBean(WorkflowClient.class).fetchHistory(jobId).toJson(false);
    assertThat(history).contains("Transcribe").doesNotContain(KEY);
    assertThat(run.stdout()).doesNotContain(KEY);
    assertThat(run.stderr()).doesNotContain(KEY);
    List<String> logLines =
        logs.list.stream().map(e -> e.getFormattedMessage() + " " + String.valueOf(e.getThrowableProxy())).toList();
    assertThat(logLines).noneMatch(line -> line.contains(KEY));
  }

  @Test
  void processWithDeepgramCompletesEndToEnd() throws Exception {
    outOfCredit = false;
    Path out = dir.resolve("out-dg");

    Run run = process(SAMPLE.toString(), "--engine", "deepgram", "--out", out.toString(), "--job-id", "dg-e2e");

    JsonNode j = run.json();
    assertThat(run.exitCode()).as(run.stderr() + j.toPrettyString()).isIn(0, 3);
    JsonNode t = j.path("transcription");
    assertThat(t.path("engine").asText()).isEqualTo("deepgram");
    assertThat(t.path("fallbacks")).isEmpty();
    assertThat(t.path("plan").asText()).startsWith("requested: deepgram; est. $0.0048, 1 s; then local");
    assertThat(t.path("words").asInt()).isEqualTo(175);
    assertThat(t.path("text").asText()).startsWith("Welcome to this short talk about building a video pipeline");
    for (String format : List.of("json", "srt", "vtt", "txt")) {
      assertThat(Path.of(t.path("artifacts").path(format).asText())).as(format).exists().startsWith(out);
    }
    JsonNode transcript = new ObjectMapper().readTree(Path.of(t.path("artifacts").path("json").asText()).toFile());
    assertThat(transcript.path("metadata").path("request_id").asText())
        .isEqualTo("e2e00000-0000-4000-8000-000000000200");
    assertThat(transcript.path("words").path(0).path("speaker").asInt()).isZero();
    // The extracted WAV (16 kHz mono s16le, about 66 s) went up whole, streamed.
    assertThat(audioBytes).isEqualTo(Files.size(out.resolve("audio/audio.wav")));
    assertThat(j.path("cost").toString()).contains("deepgram-audio-minutes");
    assertKeyNowhere("dg-e2e", run);
  }

  @Test
  void budgetOptionIsAPositiveAmount() {
    assertThat(ProcessCommand.Options.parse(new String[] {"a.mp4", "--budget", "0.25"}).budgetUsd()).isEqualTo(0.25);
    assertThat(ProcessCommand.Options.parse(new String[] {"a.mp4"}).budgetUsd()).isNull();
    for (String bad : List.of("0", "-1", "abc", "NaN")) {
      assertThatThrownBy(() -> ProcessCommand.Options.parse(new String[] {"a.mp4", "--budget", bad}))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--budget");
    }
  }

  @Test
  void aBudgetBelowDeepgramsPriceRoutesToLocal() throws Exception {
    outOfCredit = false;
    audioBytes = 0;

    Run run = process(SAMPLE.toString(), "--budget", "0.001", "--out", dir.resolve("out-budget").toString(),
        "--job-id", "dg-budget");

    JsonNode j = run.json();
    assertThat(run.exitCode()).as(run.stderr() + j.toPrettyString()).isIn(0, 3);
    JsonNode t = j.path("transcription");
    assertThat(t.path("engine").asText()).isEqualTo("local");
    assertThat(t.path("fallbacks")).isEmpty();
    assertThat(t.path("plan").asText()).startsWith("auto: local").contains("over the $0.0010 budget: deepgram $0.0048");
    assertThat(audioBytes).as("Deepgram was not called").isZero();
    assertThat(j.path("cost").toString()).doesNotContain("deepgram-audio-minutes");
  }

  @Test
  void deepgramRefusingFallsBackToLocalAndKeepsTheKeyOut() throws Exception {
    outOfCredit = true;
    try {
      Run run = process(SAMPLE.toString(), "--engine", "deepgram", "--out", dir.resolve("out-fb").toString(),
          "--job-id", "dg-fallback");

      JsonNode j = run.json();
      assertThat(run.exitCode()).as(run.stderr() + j.toPrettyString()).isIn(0, 3);
      JsonNode t = j.path("transcription");
      assertThat(t.path("engine").asText()).isEqualTo("local");
      assertThat(t.path("fallbacks")).hasSize(1);
      assertThat(t.path("fallbacks").get(0).asText())
          .startsWith("deepgram: Deepgram refused the key (HTTP 402, request_id e2e00000-0000-4000-8000-000000000402")
          .contains("insufficient credits", "[redacted]");
      assertThat(t.path("words").asInt()).isGreaterThan(120);
      // The refusal was logged (worker and workflow warnings), without the key the server echoed.
      assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("[redacted]"));
      assertKeyNowhere("dg-fallback", run);
    } finally {
      outOfCredit = false;
    }
  }
}

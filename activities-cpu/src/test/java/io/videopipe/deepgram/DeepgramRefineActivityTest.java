package io.videopipe.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.refine.RefineActivities;
import io.videopipe.refine.RefineActivitiesImpl;
import io.videopipe.refine.RefineRequest;
import io.videopipe.refine.RefineSettings;
import io.videopipe.route.Engine;
import io.videopipe.storage.LocalStorage;
import io.videopipe.testing.ActivityTestEnvironment;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.TranscriptStore;
import io.videopipe.transcribe.TranscriptionOutcome;
import io.videopipe.transcribe.Utterance;
import io.videopipe.transcribe.Word;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** HYBRID's refinement against a server speaking Deepgram's protocol: slices sent, words merged on the source timeline. */
class DeepgramRefineActivityTest {
  static final String JOB = "job-hybrid";

  @TempDir Path root;

  @RegisterExtension
  final ActivityTestEnvironment testEnv =
      ActivityTestEnvironment.newBuilder().setHeartbeatTimeout(Duration.ofSeconds(2)).build();

  MockWebServer server;
  DeepgramEngine engine;
  RefineActivities activities;
  TranscriptStore transcripts;
  URI audio;
  TranscriptionOutcome parakeet;

  /** Parakeet's transcript of 10 s of audio: two stretches below the 0.6 threshold. */
  static final Transcript PRIMARY =
      new Transcript(
          "parakeet",
          "en",
          10,
          List.of(
              new Word("welcome", 0.5, 0.75, 0.95),
              new Word("to", 0.75, 1.0, 0.93),
              new Word("garbled", 4.0, 4.5, 0.3),
              new Word("the", 5.0, 5.25, 0.9),
              new Word("mumble", 5.75, 6.0, 0.4),
              new Word("pipeline", 8.0, 8.5, 0.92)),
          List.of(new Utterance(0.5, 1.0, 0.94, null, "welcome to"), new Utterance(8.0, 8.5, 0.92, null, "pipeline")),
          Map.of());

  @BeforeEach
  void setUp() throws Exception {
    server = new MockWebServer();
    server.start();
    engine = new DeepgramEngine(DeepgramFixtures.settings(server), null);
    LocalStorage storage = new LocalStorage(root.resolve("store"));
    transcripts = new TranscriptStore(storage);
    audio = storage.jobUri(JOB, "audio/audio.wav");
    Files.createDirectories(Path.of(audio).getParent());
    DeepgramFixtures.wav(Path.of(audio), 10);
    parakeet = transcripts.write(JOB, Engine.PARAKEET, PRIMARY, 1.0);
    activities =
        testEnv
            .register(new RefineActivitiesImpl(storage, transcripts, engine, RefineSettings.defaults(), root.resolve("work")))
            .stub(RefineActivities.class);
  }

  @AfterEach
  void tearDown() throws Exception {
    engine.close();
    server.shutdown();
  }

  /** A body shaped like Deepgram's answer; each word is {text, start, end} on the slice's timeline. */
  static MockResponse answer(String requestId, double durationSec, Object[]... words) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.putObject("metadata").put("request_id", requestId).put("duration", durationSec).put("channels", 1);
    ArrayNode list = json.createArrayNode();
    StringBuilder text = new StringBuilder();
    for (Object[] w : words) {
      String punctuated = (String) w[0];
      list.addObject()
          .put("word", punctuated.replaceAll("[^a-z]", ""))
          .put("start", (double) w[1])
          .put("end", (double) w[2])
          .put("confidence", 0.97)
          .put("punctuated_word", punctuated)
          .put("speaker", 0)
          .put("speaker_confidence", 0.8);
      text.append(text.length() == 0 ? "" : " ").append(punctuated);
    }
    ObjectNode results = root.putObject("results");
    ObjectNode alternative = results.putArray("channels").addObject().putArray("alternatives").addObject();
    alternative.put("transcript", text.toString()).put("confidence", 0.97).set("words", list);
    results.putArray("utterances").addObject()
        .put("start", (double) words[0][1]).put("end", (double) words[words.length - 1][2]).put("confidence", 0.97)
        .put("channel", 0).put("transcript", text.toString()).put("speaker", 0).put("id", requestId)
        .set("words", json.createArrayNode());
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(root.toString());
  }

  @Test
  void lowConfidenceStretchesAreReTranscribedAndMergedOnTheSourceTimeline() throws Exception {
    // Windows: [3.5, 5.0] around "garbled" and [5.25, 6.5] around "mumble"; "the" between them stays.
    server.enqueue(answer("rq-1", 1.5, new Object[] {"clearly", 0.5, 1.0}));
    server.enqueue(
        answer("rq-2", 1.25, new Object[] {"spoken", 0.25, 0.5}, new Object[] {"words.", 0.5, 0.75},
            new Object[] {"beyond", 1.25, 1.5}));

    TranscriptionOutcome outcome =
        activities.refineLowConfidence(
            new RefineRequest(JOB, audio.toString(), parakeet.transcriptUri(), Engine.DEEPGRAM, "en"));

    Transcript merged = transcripts.read(URI.create(outcome.transcriptUri()));
    assertThat(merged.words())
        .containsExactly(
            new Word("welcome", 0.5, 0.75, 0.95),
            new Word("to", 0.75, 1.0, 0.93),
            new Word("clearly", 4.0, 4.5, 0.97, 0),
            new Word("the", 5.0, 5.25, 0.9),
            new Word("spoken", 5.5, 5.75, 0.97, 0),
            new Word("words.", 5.75, 6.0, 0.97, 0),
            new Word("pipeline", 8.0, 8.5, 0.92));
    assertThat(merged.engine()).isEqualTo("parakeet+deepgram");
    assertThat(merged.utterances())
        .extracting(Utterance::start, Utterance::text)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple(0.5, "welcome to"),
            org.assertj.core.api.Assertions.tuple(4.0, "clearly"),
            org.assertj.core.api.Assertions.tuple(5.5, "spoken words. beyond"),
            org.assertj.core.api.Assertions.tuple(8.0, "pipeline"));
    assertThat(outcome.transcriptUri()).isEqualTo(parakeet.transcriptUri());
    assertThat(outcome.artifacts()).isEqualTo(parakeet.artifacts());
    assertThat(outcome.words()).isEqualTo(7);
    assertThat(outcome.textPreview()).isEqualTo("welcome to clearly the spoken words. pipeline");
    assertThat(outcome.engineMetadata())
        .containsEntry(RefineActivities.REFINED_WINDOWS, "2")
        .containsEntry(RefineActivities.REFINED_SEC, "2.750")
        .containsEntry("refiner_request_ids", "rq-1,rq-2");
    assertThat(Files.readString(Path.of(URI.create(outcome.artifacts().get("srt"))))).contains("clearly");

    // Each slice is the window's samples behind a 44-byte header, sent with the key and the usual parameters.
    RecordedRequest first = server.takeRequest();
    RecordedRequest second = server.takeRequest();
    assertThat(first.getBodySize()).isEqualTo(44 + 48_000);
    assertThat(second.getBodySize()).isEqualTo(44 + 40_000);
    assertThat(first.getHeader("Authorization")).isEqualTo("Token " + DeepgramFixtures.KEY);
    assertThat(first.getRequestUrl().queryParameter("model")).isEqualTo("nova-3");
    assertThat(first.getRequestUrl().queryParameter("language")).isEqualTo("en");
    byte[] slice = first.getBody().readByteArray();
    assertThat(new String(slice, 0, 4)).isEqualTo("RIFF");
    byte[] source = Files.readAllBytes(Path.of(audio));
    int from = 44 + 2 * 56_000;
    assertThat(java.util.Arrays.copyOfRange(slice, 44, 44 + 64))
        .isEqualTo(java.util.Arrays.copyOfRange(source, from, from + 64));
    try (var left = Files.list(root.resolve("work"))) {
      assertThat(left).as("slices are deleted").isEmpty();
    }
  }

  @Test
  void deepgramRefusingFailsWithoutTouchingTheParakeetTranscript() throws Exception {
    server.enqueue(DeepgramFixtures.error(401, "INVALID_AUTH", "Invalid credentials."));
    String before = Files.readString(Path.of(URI.create(parakeet.transcriptUri())));

    ActivityFailure failure =
        catchThrowableOfType(
            () -> activities.refineLowConfidence(
                new RefineRequest(JOB, audio.toString(), parakeet.transcriptUri(), Engine.DEEPGRAM, "en")),
            ActivityFailure.class);

    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    assertThat(cause.getType()).isEqualTo(DeepgramEngine.UNAUTHORIZED);
    assertThat(cause.isNonRetryable()).isTrue();
    assertThat(Files.readString(Path.of(URI.create(parakeet.transcriptUri())))).isEqualTo(before);
  }
}

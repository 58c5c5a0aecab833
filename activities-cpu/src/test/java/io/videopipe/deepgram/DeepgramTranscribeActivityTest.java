package io.videopipe.deepgram;

import static io.videopipe.deepgram.DeepgramFixtures.error;
import static io.videopipe.deepgram.DeepgramFixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.route.Engine;
import io.videopipe.storage.LocalStorage;
import io.videopipe.testing.ActivityTestEnvironment;
import io.videopipe.transcribe.TranscribeActivities;
import io.videopipe.transcribe.TranscribeActivitiesImpl;
import io.videopipe.transcribe.TranscribeRequest;
import io.videopipe.transcribe.TranscriptStore;
import io.videopipe.transcribe.TranscriptionOutcome;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Deepgram behind the generic Transcribe activity: the artifacts every engine writes, and failures as Temporal sees them. */
class DeepgramTranscribeActivityTest {
  @TempDir Path root;

  @RegisterExtension
  final ActivityTestEnvironment testEnv =
      ActivityTestEnvironment.newBuilder().setHeartbeatTimeout(Duration.ofSeconds(2)).build();

  MockWebServer server;
  DeepgramEngine engine;
  TranscribeActivities activities;
  URI audio;

  @BeforeEach
  void setUp() throws Exception {
    server = new MockWebServer();
    server.start();
    engine = new DeepgramEngine(DeepgramFixtures.settings(server), null);
    LocalStorage storage = new LocalStorage(root);
    audio = storage.jobUri("job-dg", "audio/audio.wav");
    Path wav = Path.of(audio);
    Files.createDirectories(wav.getParent());
    DeepgramFixtures.wav(wav, 5);
    activities =
        testEnv
            .register(new TranscribeActivitiesImpl(storage, new TranscriptStore(storage), Map.of(Engine.DEEPGRAM, engine)))
            .stub(TranscribeActivities.class);
  }

  @AfterEach
  void tearDown() throws Exception {
    engine.close();
    server.shutdown();
  }

  @Test
  void writesTheSameArtifactsAsEveryEngineAndKeepsTheBillingMetadata() throws Exception {
    server.enqueue(ok());

    TranscriptionOutcome outcome =
        activities.transcribe(new TranscribeRequest("job-dg", audio.toString(), Engine.DEEPGRAM, "en"));

    assertThat(outcome.engine()).isEqualTo(Engine.DEEPGRAM);
    assertThat(outcome.words()).isEqualTo(5);
    assertThat(outcome.audioSec()).isEqualTo(4.25);
    assertThat(outcome.textPreview()).isEqualTo("Hello world. The pipeline works.");
    assertThat(outcome.engineMetadata())
        .containsEntry("request_id", "6b7a8c42-1f0e-4f4a-9d5e-2c1b0a9e8d7f")
        .containsEntry("duration", "4.25");
    assertThat(outcome.artifacts()).containsOnlyKeys("json", "srt", "vtt", "txt");
    JsonNode json = new ObjectMapper().readTree(Path.of(URI.create(outcome.artifacts().get("json"))).toFile());
    assertThat(json.path("words").path(3).path("speaker").asInt()).isEqualTo(1);
    assertThat(json.path("utterances").path(1).path("text").asText()).isEqualTo("The pipeline works.");
    assertThat(json.path("metadata").path("request_id").asText()).isEqualTo("6b7a8c42-1f0e-4f4a-9d5e-2c1b0a9e8d7f");
    assertThat(Files.readString(Path.of(URI.create(outcome.artifacts().get("srt")))))
        .contains("00:00:00,080 --> ", "Hello world.");
  }

  @Test
  void aRejectionReachesTheWorkflowAsANonRetryableFailureWithErrMsg() {
    server.enqueue(error(400, "Bad Request", "Bad Request: failed to process audio: corrupt or unsupported data"));

    ActivityFailure f =
        catchThrowableOfType(
            () -> activities.transcribe(new TranscribeRequest("job-dg", audio.toString(), Engine.DEEPGRAM, "en")),
            ActivityFailure.class);

    ApplicationFailure cause = (ApplicationFailure) f.getCause();
    assertThat(cause.getType()).isEqualTo(DeepgramEngine.REJECTED);
    assertThat(cause.isNonRetryable()).isTrue();
    assertThat(cause.getOriginalMessage()).contains("corrupt or unsupported data");
  }

  @Test
  void anOutageReachesTheWorkflowAsRetryableWithTheServersDelay() {
    server.enqueue(error(429, "TOO_MANY_REQUESTS", "Too many requests").setHeader("Retry-After", "90"));

    ActivityFailure f =
        catchThrowableOfType(
            () -> activities.transcribe(new TranscribeRequest("job-dg", audio.toString(), Engine.DEEPGRAM, "en")),
            ActivityFailure.class);

    ApplicationFailure cause = (ApplicationFailure) f.getCause();
    assertThat(cause.getType()).isEqualTo(DeepgramEngine.UNAVAILABLE);
    assertThat(cause.isNonRetryable()).isFalse();
    assertThat(cause.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(90));
  }
}

package io.videopipe.transcribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.pipeline.JobPaths;
import io.videopipe.route.Engine;
import io.videopipe.storage.LocalStorage;
import io.videopipe.testing.ActivityTestEnvironment;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class TranscribeActivitiesImplTest {
  private static final Pattern SRT_CUE =
      Pattern.compile("(\\d+)\\n(\\d\\d):(\\d\\d):(\\d\\d),(\\d{3}) --> (\\d\\d):(\\d\\d):(\\d\\d),(\\d{3})\\n(.+)\\n\\n");

  @TempDir static Path shared;
  static VoskEngine engine;
  static Path longWav;

  @TempDir Path root;

  @RegisterExtension
  final ActivityTestEnvironment testEnv =
      ActivityTestEnvironment.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setHeartbeatTimeout(Duration.ofSeconds(2))
          .build();

  LocalStorage storage;
  TestActivityEnvironment env;
  TranscribeActivities activities;
  List<Double> heartbeats;

  @BeforeAll
  static void loadModelOnce() throws Exception {
    engine = new VoskEngine(SpeechFixtures.locator(), new VoskEngine.Settings(2, VoskEngine.Settings.DEFAULT_CHUNK_TARGET_SEC));
    engine.loadModel();
    longWav = shared.resolve("long.wav");
    SpeechFixtures.writeRepeated(longWav, 4, 1.5);
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @BeforeEach
  void setUp() {
    storage = new LocalStorage(root);
    heartbeats = testEnv.heartbeats(Double.class);
    activities = register(Map.of(Engine.LOCAL, engine));
    env = testEnv.environment();
  }

  private TranscribeActivities register(Map<Engine, TranscriptionEngine> engines) {
    return testEnv
        .register(new TranscribeActivitiesImpl(storage, new TranscriptStore(storage), engines))
        .stub(TranscribeActivities.class);
  }

  private String putAudio(String jobId, Path wav) throws Exception {
    URI uri = storage.jobUri(jobId, JobPaths.AUDIO + "audio.wav");
    storage.put(wav, uri, false);
    return uri.toString();
  }

  @Test
  void writesJsonSrtVttAndTxt() throws Exception {
    String audio = putAudio("job-1", SpeechFixtures.copyFixture(root));

    TranscriptionOutcome out = activities.transcribe(new TranscribeRequest("job-1", audio, Engine.LOCAL, "en"));

    assertThat(out.engine()).isEqualTo(Engine.LOCAL);
    assertThat(out.artifacts()).containsOnlyKeys("json", "srt", "vtt", "txt");
    for (String uri : out.artifacts().values()) {
      assertThat(Path.of(URI.create(uri))).isRegularFile().startsWith(root.resolve("jobs/job-1/transcript"));
    }
    assertThat(out.transcriptUri()).isEqualTo(out.artifacts().get("json"));
    assertThat(out.audioSec()).isCloseTo(SpeechFixtures.fixtureSec(), within(0.01));
    assertThat(out.computeSec()).isPositive();
    assertThat(out.words()).isGreaterThan(30);
    assertThat(out.textPreview()).startsWith("today we talk about");
    assertThat(heartbeats).isNotEmpty().first().isEqualTo(0.0);

    Transcript json = new TranscriptStore(storage).read(URI.create(out.transcriptUri()));
    assertThat(json.words()).hasSize(out.words());
    String srt = Files.readString(Path.of(URI.create(out.artifacts().get("srt"))), StandardCharsets.UTF_8);
    List<String> cueTexts = new ArrayList<>();
    double previousEnd = 0;
    Matcher m = SRT_CUE.matcher(srt);
    int index = 0;
    int parsedTo = 0;
    while (m.find()) {
      assertThat(m.start()).as("SRT text between cues").isEqualTo(parsedTo);
      assertThat(Integer.parseInt(m.group(1))).isEqualTo(++index);
      double start = seconds(m, 2);
      double end = seconds(m, 6);
      assertThat(end).isGreaterThan(start);
      assertThat(start).isGreaterThanOrEqualTo(previousEnd);
      previousEnd = end;
      cueTexts.add(m.group(10));
      parsedTo = m.end();
    }
    assertThat(parsedTo).as("whole SRT parsed").isEqualTo(srt.length());
    assertThat(String.join(" ", cueTexts)).isEqualTo(json.text());
    assertThat(Files.readString(Path.of(URI.create(out.artifacts().get("vtt"))))).startsWith("WEBVTT");
    assertThat(Files.readString(Path.of(URI.create(out.artifacts().get("txt"))))).isEqualTo(json.text() + "\n");
  }

  private static double seconds(Matcher m, int group) {
    return Integer.parseInt(m.group(group)) * 3600
        + Integer.parseInt(m.group(group + 1)) * 60
        + Integer.parseInt(m.group(group + 2))
        + Integer.parseInt(m.group(group + 3)) / 1000.0;
  }

  @Test
  void anEngineThisWorkerLacksFailsNonRetryably() throws Exception {
    String audio = putAudio("job-2", SpeechFixtures.copyFixture(root));

    ActivityFailure failure =
        catchThrowableOfType(
            ActivityFailure.class,
            () -> activities.transcribe(new TranscribeRequest("job-2", audio, Engine.DEEPGRAM, "en")));

    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    assertThat(cause.getType()).isEqualTo(ErrorTypes.ENGINE_UNAVAILABLE);
    assertThat(cause.isNonRetryable()).isTrue();
    assertThat(cause.getOriginalMessage()).startsWith("engine 'deepgram' is not available on this worker: ");
  }

  @Test
  void anUnavailableEngineReportsItsReason() throws Exception {
    TranscriptionEngine noKey =
        new TranscriptionEngine() {
          @Override
          public Availability availability() {
            return new Availability(false, "DEEPGRAM_API_KEY is not set");
          }

          @Override
          public Transcript transcribe(Path wav, String language, ProgressListener progress) {
            throw new AssertionError("must not be called");
          }
        };
    TranscribeActivities deepgramOnly = register(Map.of(Engine.DEEPGRAM, noKey));
    String audio = putAudio("job-3", SpeechFixtures.copyFixture(root));

    ActivityFailure failure =
        catchThrowableOfType(
            ActivityFailure.class,
            () -> deepgramOnly.transcribe(new TranscribeRequest("job-3", audio, Engine.DEEPGRAM, "en")));

    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    assertThat(cause.getType()).isEqualTo(ErrorTypes.ENGINE_UNAVAILABLE);
    assertThat(cause.isNonRetryable()).isTrue();
    assertThat(cause.getOriginalMessage())
        .isEqualTo("engine 'deepgram' is not available on this worker: DEEPGRAM_API_KEY is not set");
  }

  @Test
  void cancellationStopsRecognitionAndLeavesNoTranscript() throws Exception {
    String audio = putAudio("job-4", longWav);
    // What an earlier, crashed attempt may have left.
    URI leftOver = storage.jobUri("job-4", JobPaths.TRANSCRIPT + "transcript.json");
    Files.createDirectories(Path.of(leftOver).getParent());
    Files.writeString(Path.of(leftOver), "{}");
    env.setActivityHeartbeatListener(
        Double.class,
        fraction -> {
          heartbeats.add(fraction);
          if (fraction > 0) {
            env.requestCancelActivity();
          }
        });

    long started = System.nanoTime();
    // The test environment surfaces the cancellation itself (a workflow would see ActivityFailure caused by it).
    CanceledFailure failure =
        catchThrowableOfType(
            CanceledFailure.class,
            () -> activities.transcribe(new TranscribeRequest("job-4", audio, Engine.LOCAL, "en")));
    double tookSec = (System.nanoTime() - started) / 1e9;

    assertThat(failure).isNotNull();
    assertThat(heartbeats).last().isNotEqualTo(1.0);
    assertThat(storage.list(storage.jobUri("job-4", JobPaths.TRANSCRIPT))).isEmpty();
    assertThat(storage.list(storage.jobUri("job-4", JobPaths.AUDIO))).hasSize(1);
    System.out.printf("cancelled after %.1f s at %s%n", tookSec, heartbeats);
  }

  @Test
  void unreadableAudioFailsNonRetryably() throws Exception {
    Path notWav = root.resolve("notes.wav");
    Files.writeString(notWav, "not audio");
    String audio = putAudio("job-5", notWav);

    ActivityFailure failure =
        catchThrowableOfType(
            ActivityFailure.class,
            () -> activities.transcribe(new TranscribeRequest("job-5", audio, Engine.LOCAL, "en")));

    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    assertThat(cause.getType()).isEqualTo(ErrorTypes.UNSUPPORTED_MEDIA);
    assertThat(cause.isNonRetryable()).isTrue();
  }
}

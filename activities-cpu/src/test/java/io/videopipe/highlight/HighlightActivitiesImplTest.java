package io.videopipe.highlight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.loudness.LoudnessMeter;
import io.videopipe.loudness.LoudnessSignals;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.route.Engine;
import io.videopipe.storage.LocalStorage;
import io.videopipe.testing.ActivityTestEnvironment;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.TranscriptStore;
import io.videopipe.transcribe.Word;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class HighlightActivitiesImplTest {
  @TempDir Path tmp;

  @RegisterExtension
  final ActivityTestEnvironment testEnv =
      ActivityTestEnvironment.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2)).build();

  LocalStorage storage;
  TranscriptStore transcripts;
  HighlightActivities activities;

  @BeforeEach
  void setUp() {
    storage = new LocalStorage(tmp.resolve("data"));
    transcripts = new TranscriptStore(storage);
    activities =
        testEnv
            .register(
                new HighlightActivitiesImpl(
                    storage, transcripts, new LoudnessMeter(), HighlightSelector.Settings.defaults(), null))
            .stub(HighlightActivities.class);
  }

  @Test
  void picksTheLoudestStretchOfUniformSpeechAndWritesHighlightsJson() throws Exception {
    // identical sentences, so only loudness can rank: the tone is 3 dB louder from 60 s to 85 s
    List<Word> words = new TestTranscripts(0.5).sentences(25, HighlightSelectorTest.FILLER).words();
    String transcriptUri = transcript("job-1", words, 130);
    String audioUri =
        audio("job-1", LoudnessSignals.tone(tmp, "a.wav", 16000, 1, 440, "if(between(t,60,85),0.1,0.0708)", 130));

    List<String> heartbeats = testEnv.heartbeats(String.class);

    HighlightSet set =
        activities.pickHighlights(new HighlightRequest("job-1", transcriptUri, audioUri, HighlightOptions.defaults()));

    // 130 s of audio is thousands of packets: the loudness pass heartbeats as it goes, so the step can be cancelled
    assertThat(heartbeats).isNotEmpty().allMatch("measuring loudness"::equals);
    assertThat(set.highlightsUri()).isEqualTo(storage.jobUri("job-1", "highlights/highlights.json").toString());
    assertThat(set.highlights()).hasSize(5);
    assertThat(set.computeSec()).isPositive();
    Highlight best = set.highlights().get(0);
    assertThat(best.rank()).isEqualTo(1);
    assertThat(best.startSec()).isGreaterThanOrEqualTo(60.0);
    assertThat(best.endSec()).isLessThanOrEqualTo(85.0);
    assertThat(best.features().get("loudnessRelLu")).isBetween(2.5, 3.5);

    JsonNode json = new ObjectMapper().readTree(storage.path(URI.create(set.highlightsUri())).toFile());
    assertThat(json.get("jobId").asText()).isEqualTo("job-1");
    assertThat(json.get("highlights")).hasSize(5);
    assertThat(json.get("highlights").get(0).get("startSec").asDouble()).isEqualTo(best.startSec());
    assertThat(json.get("highlights").get(0).get("features").get("score").asDouble()).isEqualTo(best.score());
    assertThat(json.get("integratedLufs").asDouble()).isBetween(-30.0, -20.0);
    assertThat(json.get("note").isNull()).isTrue();
    // nothing but the published file in the folder: the write was atomic
    try (var files = Files.list(storage.path(URI.create(set.highlightsUri())).getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("highlights.json");
    }
  }

  @Test
  void shortSpeechGivesNoHighlightsAndSaysWhy() throws Exception {
    List<Word> words = new TestTranscripts(0.5).sentences(2, HighlightSelectorTest.FILLER).words();
    String transcriptUri = transcript("job-2", words, 12);
    String audioUri = audio("job-2", LoudnessSignals.tone(tmp, "b.wav", 16000, 1, 440, "0.1", 12));

    HighlightSet set =
        activities.pickHighlights(new HighlightRequest("job-2", transcriptUri, audioUri, HighlightOptions.defaults()));

    assertThat(set.highlights()).isEmpty();
    JsonNode json = new ObjectMapper().readTree(storage.path(URI.create(set.highlightsUri())).toFile());
    assertThat(json.get("highlights")).isEmpty();
    assertThat(json.get("note").asText()).contains("shorter than the 15.0 s minimum");
    assertThat(json.get("speechSec").asDouble()).isCloseTo(9.4, within(1e-9));
  }

  @Test
  void scoresWithoutLoudnessWhenThereIsNoAudio() throws Exception {
    List<Word> words = HighlightSelectorTest.varied(30);
    String transcriptUri = transcript("job-3", words, 150);

    HighlightSet set =
        activities.pickHighlights(new HighlightRequest("job-3", transcriptUri, null, new HighlightOptions(3, 15, 60)));

    assertThat(set.highlights()).hasSize(3);
    assertThat(set.highlights()).allSatisfy(h -> assertThat(h.features()).doesNotContainKey("loudness"));
  }

  @Test
  void missingTranscriptFailsWithoutRetry() {
    String missing = storage.jobUri("job-4", "transcript/transcript.json").toString();

    assertThatThrownBy(
            () -> activities.pickHighlights(new HighlightRequest("job-4", missing, null, HighlightOptions.defaults())))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(ErrorTypes.INVALID_REQUEST);
              assertThat(f.isNonRetryable()).isTrue();
            });
  }

  @Test
  void malformedTranscriptFailsWithoutRetry() throws Exception {
    URI uri = storage.jobUri("job-5", "transcript/transcript.json");
    Files.createDirectories(storage.path(uri).getParent());
    Files.writeString(storage.path(uri), "{ not a transcript");

    assertThatThrownBy(
            () ->
                activities.pickHighlights(
                    new HighlightRequest("job-5", uri.toString(), null, HighlightOptions.defaults())))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(ErrorTypes.INVALID_REQUEST);
              assertThat(f.isNonRetryable()).isTrue();
            });
  }

  @Test
  void anLlmPicksFromTheShortlistAndAFailingOneFallsBackToTheFeatureRanking() throws Exception {
    try (MockWebServer llm = new MockWebServer()) {
      llm.start();
      activities =
          testEnv
              .register(
                  new HighlightActivitiesImpl(
                      storage, transcripts, new LoudnessMeter(), HighlightSelector.Settings.defaults(),
                      new LlmRanker(
                          new LlmRanker.Settings(llm.url("/v1").toString(), "m", null, Duration.ofSeconds(5), 6))))
              .stub(HighlightActivities.class);
      String transcriptUri = transcript("job-llm", HighlightSelectorTest.varied(60), 300);
      HighlightOptions two = new HighlightOptions(2, 15, 30);
      List<Highlight> byFeatures =
          new HighlightSelector(HighlightSelector.Settings.defaults()).select(HighlightSelectorTest.varied(60), null, 300, two).highlights();
      llm.enqueue(
          new MockResponse()
              .setHeader("Content-Type", "application/json")
              .setBody(
                  LlmRankerTest.completion(
                      "{\"highlights\":[{\"id\":5,\"title\":\"Fifth first\",\"reason\":\"r\"}]}", "stop")));
      llm.enqueue(new MockResponse().setResponseCode(500));

      HighlightSet chosen = activities.pickHighlights(new HighlightRequest("job-llm", transcriptUri, null, two));
      HighlightSet fallback = activities.pickHighlights(new HighlightRequest("job-llm", transcriptUri, null, two));

      assertThat(chosen.ranking()).isEqualTo("llm:m");
      assertThat(chosen.highlights()).extracting(Highlight::title).containsExactly("Fifth first");
      assertThat(chosen.highlights().get(0).features()).containsEntry("featureRank", 5.0);
      assertThat(fallback.ranking()).isEqualTo("features (LLM ranking not used: the endpoint answered HTTP 500)");
      assertThat(fallback.highlights()).isEqualTo(byFeatures);
      JsonNode doc = new ObjectMapper().readTree(storage.path(URI.create(fallback.highlightsUri())).toFile());
      assertThat(doc.get("ranking").asText()).startsWith("features (LLM ranking not used");
    }
  }

  private String transcript(String jobId, List<Word> words, double durationSec) throws Exception {
    return transcripts
        .write(jobId, Engine.LOCAL, new Transcript("vosk", "en", durationSec, words), 1.0)
        .transcriptUri();
  }

  private String audio(String jobId, Path wav) throws Exception {
    URI uri = storage.jobUri(jobId, "audio/audio.wav");
    storage.put(wav, uri, false);
    return uri.toString();
  }
}

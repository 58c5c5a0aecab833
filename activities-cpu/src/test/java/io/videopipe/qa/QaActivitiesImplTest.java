package io.videopipe.qa;

import io.videopipe.clip.ClipOptions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videopipe.highlight.Highlight;
import io.videopipe.highlight.HighlightOptions;
import io.videopipe.highlight.HighlightSelector;
import io.videopipe.highlight.TestTranscripts;
import io.videopipe.loudness.Loudness;
import io.videopipe.loudness.LoudnessMeter;
import io.videopipe.loudness.LoudnessSignals;
import io.videopipe.route.Engine;
import io.videopipe.storage.LocalStorage;
import io.videopipe.testing.ActivityTestEnvironment;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.TranscriptStore;
import io.videopipe.transcribe.Word;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class QaActivitiesImplTest {
  static final String FILLER = "so we were talking about the weather and the weather today";
  /** 25 sentences of 11 words: sentence k spans 0.5 + 5.1k .. 0.5 + 5.1k + 4.3 s; the last word ends at 127.4 s. */
  static final List<Word> WORDS = new TestTranscripts(0.5).sentences(25, FILLER).words();
  static final double AUDIO_SEC = 130;
  static final HighlightOptions OPTIONS = HighlightOptions.defaults();

  @TempDir Path tmp;

  @RegisterExtension
  final ActivityTestEnvironment testEnv =
      ActivityTestEnvironment.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2)).build();

  final QaActivitiesImpl qa = new QaActivitiesImpl(null, null, null);

  /** Sentences {@code k .. k + n - 1}, padded by 0.25 s: on word edges, in pauses, with the exact text. */
  static Highlight clip(int rank, int k, int n) {
    double start = 0.5 + 5.1 * k - 0.25;
    double end = 0.5 + 5.1 * (k + n - 1) + 4.3 + 0.25;
    String text = String.join(" ", Collections.nCopies(n, FILLER));
    return new Highlight(rank, start, end, 1.0 / rank, text, Map.of("score", 1.0 / rank), "clip " + rank);
  }

  /** Five non-overlapping 20.1 s clips of four sentences each. */
  static List<Highlight> goodHighlights() {
    return List.of(clip(1, 0, 4), clip(2, 5, 4), clip(3, 10, 4), clip(4, 15, 4), clip(5, 20, 4));
  }

  static Loudness loudness(double integrated, double durationSec) {
    double[] m = new double[(int) Math.round(durationSec * 10)];
    Arrays.fill(m, integrated);
    return new Loudness(integrated, 2.5, -3.0, 0.1, m, durationSec);
  }

  static Transcript transcript(List<Word> words) {
    return new Transcript("vosk", "en", AUDIO_SEC, words);
  }

  List<String> failed(List<QaCheck> checks) {
    return checks.stream().filter(c -> !c.passed()).map(QaCheck::name).toList();
  }

  List<QaCheck> run(List<Highlight> hs, HighlightOptions options, List<Word> words, Loudness loudness, double sourceSec) {
    return qa.checks(hs, options, transcript(words), null, loudness, null, sourceSec);
  }

  @Test
  void goodSetPassesEveryCheck() {
    List<QaCheck> checks = run(goodHighlights(), OPTIONS, WORDS, loudness(-23, AUDIO_SEC), AUDIO_SEC);

    assertThat(failed(checks)).isEmpty();
    assertThat(checks)
        .extracting(QaCheck::name)
        .containsExactly(
            "highlight.available", "highlight.count", "highlight.duration", "highlight.overlap",
            "highlight.boundaries", "highlight.text", "transcript.words", "transcript.timestamps",
            "transcript.inAudio", "transcript.confidence", "audio.loudness", "audio.duration");
    assertThat(checks).allSatisfy(c -> assertThat(c.measured()).isNotBlank());
    assertThat(checks).allSatisfy(c -> assertThat(c.expected()).isNotBlank());
  }

  @Test
  void noHighlightsFailsAvailableOnly() {
    List<QaCheck> checks = run(List.of(), OPTIONS, WORDS, loudness(-23, AUDIO_SEC), AUDIO_SEC);

    assertThat(failed(checks)).containsExactly("highlight.available");
  }

  @Test
  void tooManyHighlightsFailsCount() {
    List<QaCheck> checks =
        run(goodHighlights(), new HighlightOptions(4, 15, 60), WORDS, loudness(-23, AUDIO_SEC), AUDIO_SEC);

    assertThat(failed(checks)).containsExactly("highlight.count");
  }

  @Test
  void highlightOutsideTheDurationBoundsFailsDuration() {
    List<Highlight> hs = new ArrayList<>(goodHighlights());
    hs.set(4, clip(5, 20, 2)); // 9.9 s

    List<QaCheck> checks = run(hs, OPTIONS, WORDS, loudness(-23, AUDIO_SEC), AUDIO_SEC);

    assertThat(failed(checks)).containsExactly("highlight.duration");
    assertThat(checks.get(2).measured()).contains("#5 9.90 s");
  }

  @Test
  void overlappingHighlightsFailOverlap() {
    List<Highlight> hs = new ArrayList<>(goodHighlights());
    hs.set(1, clip(2, 2, 4)); // sentences 2-5 overlap #1's 0-3

    List<QaCheck> checks = run(hs, OPTIONS, WORDS, loudness(-23, AUDIO_SEC), AUDIO_SEC);

    assertThat(failed(checks)).containsExactly("highlight.overlap");
  }

  @Test
  void highlightStartingInsideAWordFailsBoundaries() {
    List<Highlight> hs = new ArrayList<>(goodHighlights());
    Highlight h = hs.get(0);
    // starts 0.1 s into the first word "so"; the text lists only the whole words left inside
    hs.set(0, new Highlight(1, 0.6, h.endSec(), h.score(), h.text().substring("so ".length()), h.features(),
        h.title()));

    List<QaCheck> checks = run(hs, OPTIONS, WORDS, loudness(-23, AUDIO_SEC), AUDIO_SEC);

    assertThat(failed(checks)).containsExactly("highlight.boundaries");
    assertThat(checks.get(4).measured()).contains("#1 cuts 'so'");
  }

  @Test
  void textThatIsNotTheWordsInsideFailsText() {
    List<Highlight> hs = new ArrayList<>(goodHighlights());
    Highlight h = hs.get(2);
    hs.set(2, new Highlight(3, h.startSec(), h.endSec(), h.score(), "something else entirely", h.features(), h.title()));

    List<QaCheck> checks = run(hs, OPTIONS, WORDS, loudness(-23, AUDIO_SEC), AUDIO_SEC);

    assertThat(failed(checks)).containsExactly("highlight.text");
  }

  @Test
  void emptyTranscriptFailsWordsAndConfidence() {
    List<QaCheck> checks = run(List.of(), OPTIONS, List.of(), loudness(-23, AUDIO_SEC), AUDIO_SEC);

    assertThat(failed(checks)).containsExactly("highlight.available", "transcript.words", "transcript.confidence");
  }

  @Test
  void wordsOutOfOrderFailTimestamps() {
    List<Word> words = new ArrayList<>(WORDS);
    int i = words.size() - 3; // in sentence 24, which no highlight covers
    Word w = words.get(i);
    words.set(i, new Word(w.text(), words.get(i - 1).start() - 0.05, w.end(), w.confidence()));

    List<QaCheck> checks = run(goodHighlights(), OPTIONS, words, loudness(-23, AUDIO_SEC), AUDIO_SEC);

    assertThat(failed(checks)).containsExactly("transcript.timestamps");
  }

  @Test
  void wordsPastTheEndOfTheAudioFailInAudio() {
    double audio = WORDS.get(WORDS.size() - 1).end() - 1;

    List<QaCheck> checks = run(goodHighlights(), OPTIONS, WORDS, loudness(-23, audio), audio);

    assertThat(failed(checks)).containsExactly("transcript.inAudio");
  }

  @Test
  void lowConfidenceFailsConfidence() {
    List<Word> words = WORDS.stream().map(w -> new Word(w.text(), w.start(), w.end(), 0.3)).toList();

    List<QaCheck> checks = run(goodHighlights(), OPTIONS, words, loudness(-23, AUDIO_SEC), AUDIO_SEC);

    assertThat(failed(checks)).containsExactly("transcript.confidence");
    assertThat(checks.get(9).measured()).isEqualTo("mean 0.300");
  }

  @Test
  void silentAudioFailsLoudness() {
    List<QaCheck> checks =
        run(goodHighlights(), OPTIONS, WORDS, loudness(LoudnessMeter.FLOOR_LUFS, AUDIO_SEC), AUDIO_SEC);

    assertThat(failed(checks)).containsExactly("audio.loudness");
    assertThat(checks.get(10).measured()).startsWith("-70.0 LUFS integrated");
  }

  @Test
  void audioShorterThanTheSourceFailsDuration() {
    List<QaCheck> checks = run(goodHighlights(), OPTIONS, WORDS, loudness(-23, AUDIO_SEC), 140);

    assertThat(failed(checks)).containsExactly("audio.duration");
    // 2 % of 140 s is 2.8 s, more than the 1 s floor
    assertThat(checks.get(11).expected()).startsWith("difference <= 2.80 s");
    assertThat(failed(run(goodHighlights(), OPTIONS, WORDS, loudness(-23, AUDIO_SEC), 132.5))).isEmpty();
    assertThat(failed(run(goodHighlights(), OPTIONS, WORDS, loudness(-23, AUDIO_SEC), 0)))
        .containsExactly("audio.duration");
  }

  @Test
  void missingInputsFailTheChecksThatNeedThem() {
    List<QaCheck> noTranscript =
        qa.checks(goodHighlights(), OPTIONS, null, "transcript missing: x", loudness(-23, AUDIO_SEC), null, AUDIO_SEC);
    List<QaCheck> noAudio =
        qa.checks(goodHighlights(), OPTIONS, transcript(WORDS), null, null, "audio missing: y", AUDIO_SEC);

    assertThat(failed(noTranscript))
        .containsExactly(
            "highlight.boundaries", "highlight.text", "transcript.words", "transcript.timestamps",
            "transcript.inAudio", "transcript.confidence");
    assertThat(failed(noAudio)).containsExactly("transcript.inAudio", "audio.loudness", "audio.duration");
    assertThat(noAudio.get(10).measured()).isEqualTo("audio missing: y");
  }

  /** The activity end to end: real audio measured by the meter, highlights from the selector, qa.json written. */
  @Test
  void activityChecksARealJobAndWritesQaJson() throws Exception {
    LocalStorage storage = new LocalStorage(tmp.resolve("data"));
    TranscriptStore transcripts = new TranscriptStore(storage);
    String transcriptUri = transcripts.write("job-qa", Engine.LOCAL, transcript(WORDS), 1.0).transcriptUri();
    URI audioUri = storage.jobUri("job-qa", "audio/audio.wav");
    storage.put(LoudnessSignals.tone(tmp, "a.wav", 16000, 1, 440, "0.1", AUDIO_SEC), audioUri, false);
    URI silentUri = storage.jobUri("job-qa", "audio/silent.wav");
    storage.put(LoudnessSignals.silence(tmp, "s.wav", AUDIO_SEC), silentUri, false);
    List<Highlight> highlights =
        new HighlightSelector(HighlightSelector.Settings.defaults()).select(WORDS, null, AUDIO_SEC, OPTIONS).highlights();

    QaActivities stub =
        testEnv.register(new QaActivitiesImpl(storage, transcripts, new LoudnessMeter())).stub(QaActivities.class);

    QaReport good =
        stub.check(new QaRequest("job-qa", audioUri.toString(), transcriptUri, 130.02, highlights, OPTIONS, List.of(), ClipOptions.defaults()));
    QaReport silent =
        stub.check(new QaRequest("job-qa", silentUri.toString(), transcriptUri, 130.02, highlights, OPTIONS, List.of(), ClipOptions.defaults()));

    assertThat(good.passed())
        .as(good.checks().stream().map(QaCheck::toString).collect(Collectors.joining("\n")))
        .isTrue();
    assertThat(good.checks()).hasSize(12);
    assertThat(good.reportUri()).isEqualTo(storage.jobUri("job-qa", "qa/qa.json").toString());
    // 440 Hz at amplitude 0.1, mono: 10 log10(0.005) + K-weighting (+0.01 dB) - 0.691 = -23.69 LUFS
    assertThat(good.checks().get(10).measured()).matches("-23\\.[5-7] LUFS integrated, .*");
    assertThat(silent.passed()).isFalse();
    assertThat(failed(silent.checks())).containsExactly("audio.loudness");

    // qa.json holds the latest report (the silent one)
    JsonNode json = new ObjectMapper().readTree(storage.path(URI.create(silent.reportUri())).toFile());
    assertThat(json.get("passed").asBoolean()).isFalse();
    assertThat(json.get("integratedLufs").asDouble()).isEqualTo(-70.0);
    assertThat(json.get("checks")).hasSize(12);
    assertThat(json.get("checks").get(10).get("name").asText()).isEqualTo("audio.loudness");
  }
}

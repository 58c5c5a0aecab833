package io.videopipe.highlight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.videopipe.loudness.Loudness;
import io.videopipe.transcribe.Word;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HighlightSelectorTest {
  /** Content words "talking", "weather" (twice), "today"; the rest are stopwords. */
  static final String FILLER = "so we were talking about the weather and the weather today";

  static final String[] VOCAB = {
    "budget", "river", "engine", "garden", "market", "planet", "signal", "forest", "camera", "ticket", "window",
    "museum", "harbor", "violin", "pepper", "rocket", "silver", "tunnel", "winter", "castle", "doctor", "island",
    "jacket", "ladder", "mirror", "pencil", "rabbit", "saddle", "temple", "velvet"
  };

  final HighlightSelector selector = new HighlightSelector(HighlightSelector.Settings.defaults());

  /** 10-word sentences mixing stopwords with a deterministic spread of content words. */
  static List<Word> varied(int sentences) {
    TestTranscripts t = new TestTranscripts(1.0);
    for (int s = 0; s < sentences; s++) {
      List<String> w = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        w.add(i % 3 == 0 ? "the" : VOCAB[(s * 7 + i * 3) % VOCAB.length]);
      }
      t.sentence(String.join(" ", w));
    }
    return t.words();
  }

  @Test
  void respectsBoundsCountAndOverlap() {
    List<Word> words = varied(40);
    HighlightOptions options = HighlightOptions.defaults();

    HighlightSelector.Selection sel = selector.select(words, null, 0, options);
    List<Highlight> hs = sel.highlights();

    assertThat(hs).hasSize(5);
    assertThat(sel.note()).isNull();
    assertThat(hs).allSatisfy(h -> assertThat(h.durationSec()).isBetween(15.0, 60.0));
    assertThat(hs).extracting(Highlight::rank).containsExactly(1, 2, 3, 4, 5);
    for (int i = 1; i < hs.size(); i++) {
      assertThat(hs.get(i).score()).isLessThanOrEqualTo(hs.get(i - 1).score());
    }
    assertThat(hs).allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 1.0));
    for (Highlight a : hs) {
      for (Highlight b : hs) {
        if (a != b) {
          assertThat(a.startSec() >= b.endSec() || b.startSec() >= a.endSec())
              .as("#%d and #%d overlap", a.rank(), b.rank())
              .isTrue();
        }
      }
    }
  }

  @Test
  void cutsFallInPausesAndTextIsTheWholeWords() {
    List<Word> words = varied(40);

    List<Highlight> hs = selector.select(words, null, 0, HighlightOptions.defaults()).highlights();

    assertThat(hs).isNotEmpty();
    for (Highlight h : hs) {
      List<Integer> inside = new ArrayList<>();
      for (int i = 0; i < words.size(); i++) {
        Word w = words.get(i);
        boolean contained = w.start() >= h.startSec() && w.end() <= h.endSec();
        boolean overlaps = w.start() < h.endSec() && w.end() > h.startSec();
        assertThat(overlaps && !contained).as("#%d cuts %s", h.rank(), w).isFalse();
        if (contained) {
          inside.add(i);
        }
      }
      int first = inside.get(0);
      int last = inside.get(inside.size() - 1);
      assertThat(last - first + 1).as("contiguous words").isEqualTo(inside.size());
      // starts and ends on sentence boundaries (a 0.8 s pause), with at most the 0.25 s pad around the words
      assertThat(first == 0 || words.get(first).start() - words.get(first - 1).end() >= 0.5).isTrue();
      assertThat(last == words.size() - 1 || words.get(last + 1).start() - words.get(last).end() >= 0.5).isTrue();
      assertThat(words.get(first).start() - h.startSec()).isBetween(0.0, 0.25 + 1e-9);
      assertThat(h.endSec() - words.get(last).end()).isBetween(0.0, 0.25 + 1e-9);
      String text = inside.stream().map(i -> words.get(i).text()).collect(Collectors.joining(" "));
      assertThat(h.text()).isEqualTo(text);
    }
  }

  @Test
  void honoursMaxCount() {
    List<Word> words = varied(40);

    assertThat(selector.select(words, null, 0, new HighlightOptions(2, 15, 60)).highlights()).hasSize(2);
    assertThat(selector.select(words, null, 0, new HighlightOptions(0, 15, 60)).highlights()).isEmpty();
  }

  @Test
  void speechShorterThanTheMinimumYieldsNoHighlights() {
    List<Word> words = new TestTranscripts(0.5).sentences(2, FILLER).words();

    HighlightSelector.Selection sel = selector.select(words, null, 10, HighlightOptions.defaults());

    assertThat(sel.highlights()).isEmpty();
    assertThat(sel.speechSec()).isCloseTo(9.4, within(1e-9));
    assertThat(sel.note()).contains("shorter than the 15.0 s minimum");
  }

  @Test
  void noHighlightWhenNoRunOfSentencesFitsTheBounds() {
    // 3.9 s sentences 30 s apart: one is too short for 15 s, two are too long for 20 s
    TestTranscripts t = new TestTranscripts(0);
    for (int i = 0; i < 4; i++) {
      t.sentence(FILLER).silence(30);
    }

    HighlightSelector.Selection sel = selector.select(t.words(), null, 0, new HighlightOptions(5, 15, 20));

    assertThat(sel.highlights()).isEmpty();
    assertThat(sel.candidates()).isZero();
    assertThat(sel.note()).contains("no run of complete sentences");
  }

  @Test
  void rankingFollowsKeywordSalience() {
    TestTranscripts t = new TestTranscripts(0).sentences(12, FILLER);
    double rareStart = t.now();
    t.sentence("quantum entanglement lets distant particles share correlated measurement outcomes instantly")
        .sentence("physicists verified bell inequality violations using polarized photon pairs across kilometres")
        .sentence("these experiments closed detector loopholes that sceptics raised against earlier tests")
        .sentence("satellite links now distribute entangled keys between ground stations continents apart");
    double rareEnd = t.now();
    t.sentences(12, FILLER);

    Highlight best = selector.select(t.words(), null, 0, new HighlightOptions(1, 15, 60)).highlights().get(0);

    assertThat(best.startSec()).isGreaterThanOrEqualTo(rareStart - 0.5);
    assertThat(best.endSec()).isLessThanOrEqualTo(rareEnd);
    assertThat(best.text()).doesNotContain("weather").endsWith("continents apart");
    assertThat(best.features().get("keywords")).isGreaterThan(0.5);
  }

  @Test
  void rankingFollowsLoudness() {
    List<Word> words = new TestTranscripts(0).sentences(30, FILLER).words();
    double duration = words.get(words.size() - 1).end() + 1;
    // 3 LU louder between 60 and 85 s; value k covers the 400 ms ending at (k + 1) * 0.1 s
    double[] momentary = new double[(int) Math.round(duration / 0.1)];
    for (int k = 0; k < momentary.length; k++) {
      double end = (k + 1) * 0.1;
      momentary[k] = end - 0.4 >= 60 && end <= 85 ? -27 : -30;
    }
    Loudness loudness = new Loudness(-29, 3, -10, 0.1, momentary, duration);

    Highlight best =
        selector.select(words, loudness, duration, new HighlightOptions(1, 15, 60)).highlights().get(0);

    assertThat(best.startSec()).isGreaterThanOrEqualTo(60.0);
    assertThat(best.endSec()).isLessThanOrEqualTo(85.0);
    assertThat(best.features().get("loudnessRelLu")).isCloseTo(3.0, within(1e-6));
    assertThat(best.features().get("loudness")).isCloseTo(0.75, within(1e-6));
  }

  @Test
  void rankingFollowsSpeakingRate() {
    String normal = "alpha bravo charlie delta echo foxtrot golf hotel india juliet";
    String fast = normal + " " + normal;
    TestTranscripts t = new TestTranscripts(0).sentences(10, normal).timing(0.15, 0.05, 0.8);
    double fastStart = t.now();
    t.sentences(5, fast);
    double fastEnd = t.now();
    t.timing(0.3, 0.1, 0.8).sentences(10, normal);

    Highlight best = selector.select(t.words(), null, 0, new HighlightOptions(1, 15, 60)).highlights().get(0);

    assertThat(best.startSec()).isGreaterThanOrEqualTo(fastStart - 0.5);
    assertThat(best.endSec()).isLessThanOrEqualTo(fastEnd);
    assertThat(best.features().get("speakingRate")).isGreaterThan(0.5);
    // every word occurs in every sentence, so keyword salience cannot tell the windows apart
    assertThat(best.features().get("keywords")).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void rankingFollowsQuestionAndExclamationCues() {
    TestTranscripts t = new TestTranscripts(0).sentences(12, FILLER);
    double cueStart = t.now();
    t.sentence("so we were talking about the weather and the weather today?")
        .sentence("so we were talking about the weather and the weather today!")
        .sentence("so we were talking about the weather and the weather today?")
        .sentence("so we were talking about the weather and the weather today!");
    double cueEnd = t.now();
    t.sentences(12, FILLER);

    Highlight best = selector.select(t.words(), null, 0, new HighlightOptions(1, 15, 60)).highlights().get(0);

    assertThat(best.startSec()).isGreaterThanOrEqualTo(cueStart - 0.5);
    assertThat(best.endSec()).isLessThanOrEqualTo(cueEnd);
    assertThat(best.features().get("cueCount")).isGreaterThanOrEqualTo(2.0);
    assertThat(best.features().get("cues")).isEqualTo(1.0);
  }

  @Test
  void featuresMapDocumentsTheScore() {
    List<Word> words = varied(30);
    double duration = words.get(words.size() - 1).end() + 1;
    double[] momentary = new double[(int) (duration * 10)];
    Random random = new Random(7);
    for (int k = 0; k < momentary.length; k++) {
      momentary[k] = -30 + 8 * random.nextDouble();
    }
    Loudness loudness = new Loudness(-26, 4, -8, 0.1, momentary, duration);

    for (Loudness l : new Loudness[] {loudness, null}) {
      List<Highlight> hs = selector.select(words, l, duration, HighlightOptions.defaults()).highlights();
      assertThat(hs).isNotEmpty();
      for (Highlight h : hs) {
        Map<String, Double> f = h.features();
        double weighted = f.get("weight.keywords") * f.get("keywords")
            + f.get("weight.speakingRate") * f.get("speakingRate")
            + f.get("weight.cues") * f.get("cues");
        double weights = f.get("weight.keywords") + f.get("weight.speakingRate") + f.get("weight.cues");
        if (l != null) {
          weighted += f.get("weight.loudness") * f.get("loudness");
          weights += f.get("weight.loudness");
        } else {
          assertThat(f).doesNotContainKeys("loudness", "weight.loudness", "loudnessRelLu");
        }
        // no word carries a speaker: the speakers term drops out
        assertThat(f).doesNotContainKeys("speakers", "weight.speakers", "speakerChanges");
        assertThat(h.score()).isEqualTo(f.get("score")).isCloseTo(weighted / weights, within(1e-12));
        assertThat(f.get("keywords")).isBetween(0.0, 1.0);
        assertThat(f.get("speakingRate")).isBetween(0.0, 1.0);
      }
    }
  }

  @Test
  void splitsLongRunsAtTheirLargestGaps() {
    // 60 words 0.1 s apart except 0.3 s after words 14, 29 and 44: a 24.5 s run with no pause
    List<Word> words = new ArrayList<>();
    double t = 0;
    for (int i = 0; i < 60; i++) {
      words.add(new Word("w" + i, t, t + 0.3, 0.9));
      t += 0.3 + (i == 14 || i == 29 || i == 44 ? 0.3 : 0.1);
    }

    List<HighlightSelector.Sentence> sentences = selector.sentences(words, 12);

    assertThat(sentences)
        .extracting(HighlightSelector.Sentence::firstWord)
        .containsExactly(0, 15, 30, 45);
    assertThat(sentences).allSatisfy(s -> assertThat(s.end() - s.start()).isLessThanOrEqualTo(12));
    assertThat(selector.select(words, null, 0, HighlightOptions.defaults()).highlights()).isNotEmpty();
  }

  @Test
  void punctuationEndsSentencesForEnginesThatPunctuate() {
    List<Word> words = new TestTranscripts(0).sentence("Hello there. How are you? Fine!").words();

    assertThat(selector.sentences(words, 12))
        .extracting(HighlightSelector.Sentence::firstWord)
        .containsExactly(0, 2, 5);
  }

  @Test
  void clipsStayInsideTheAudio() {
    List<Word> words = new TestTranscripts(0).sentences(4, FILLER).words();
    double lastEnd = words.get(words.size() - 1).end();

    List<Highlight> hs = selector.select(words, null, lastEnd + 0.1, new HighlightOptions(5, 15, 60)).highlights();

    assertThat(hs).hasSize(1);
    assertThat(hs.get(0).startSec()).isZero();
    assertThat(hs.get(0).endSec()).isCloseTo(lastEnd + 0.1, within(1e-9));
  }

  @Test
  void padsStopHalfWayThroughShortPausesSoNeighboursNeverOverlap() {
    HighlightSelector wide = new HighlightSelector(new HighlightSelector.Settings(0.5, 12, 0.4, 0.4, 0.3, 0.2, 0.1, 0.1));
    TestTranscripts more = new TestTranscripts(0).timing(0.3, 0.1, 0.6);
    for (int i = 0; i < 40; i++) {
      more.sentence(VOCAB[i % VOCAB.length] + " " + FILLER);
    }

    List<Highlight> hs =
        wide.select(more.words(), null, 0, new HighlightOptions(10, 15, 20)).highlights().stream()
            .sorted((a, b) -> Double.compare(a.startSec(), b.startSec()))
            .toList();

    assertThat(hs).hasSizeGreaterThan(3);
    for (int i = 1; i < hs.size(); i++) {
      assertThat(hs.get(i).startSec()).isGreaterThanOrEqualTo(hs.get(i - 1).endSec());
    }
    // a 0.6 s pause holds at most 0.3 s of pad on each side
    for (Highlight h : hs) {
      Word first = more.words().stream().filter(w -> w.start() >= h.startSec()).findFirst().orElseThrow();
      assertThat(first.start() - h.startSec()).isLessThanOrEqualTo(0.3 + 1e-9);
    }
  }

  @Test
  void deterministicAndIndependentOfInputOrder() {
    List<Word> words = varied(30);
    List<Word> shuffled = new ArrayList<>(words);
    Collections.shuffle(shuffled, new Random(3));

    List<Highlight> a = selector.select(words, null, 0, HighlightOptions.defaults()).highlights();
    List<Highlight> b = selector.select(shuffled, null, 0, HighlightOptions.defaults()).highlights();

    assertThat(b).isEqualTo(a);
  }

  @Test
  void scalesToAThreeHourTranscript() {
    List<Word> words = varied(2200); // 2200 x 4.7 s = 2.9 h, 22,000 words
    double duration = words.get(words.size() - 1).end() + 1;
    double[] momentary = new double[(int) (duration * 10)];
    Random random = new Random(11);
    for (int k = 0; k < momentary.length; k++) {
      momentary[k] = -35 + 15 * random.nextDouble();
    }
    Loudness loudness = new Loudness(-25, 6, -3, 0.1, momentary, duration);

    long started = System.nanoTime();
    HighlightSelector.Selection sel = selector.select(words, loudness, duration, HighlightOptions.defaults());
    double seconds = (System.nanoTime() - started) / 1e9;

    System.out.printf("3-hour transcript: %d candidates scored in %.2f s%n", sel.candidates(), seconds);
    assertThat(sel.highlights()).hasSize(5);
    assertThat(seconds).isLessThan(20);
  }

  @Test
  void emptyTranscriptYieldsNothing() {
    HighlightSelector.Selection sel = selector.select(List.of(), null, 0, HighlightOptions.defaults());

    assertThat(sel.highlights()).isEmpty();
    assertThat(sel.note()).contains("no words");
  }

  @Test
  void rankingFollowsSpeakerChangesWhenTheTranscriptHasSpeakers() {
    // identical sentences by speaker 0, except a stretch where two speakers alternate sentence by sentence
    TestTranscripts t = new TestTranscripts(0).sentences(40, FILLER);
    List<Word> words = new ArrayList<>();
    double dialogueStart = 60;
    double dialogueEnd = 90;
    for (Word w : t.words()) {
      int sentence = (int) (w.start() / 6);
      int speaker = w.start() >= dialogueStart && w.start() < dialogueEnd ? sentence % 2 : 0;
      words.add(new Word(w.text(), w.start(), w.end(), w.confidence(), speaker));
    }

    Highlight best = selector.select(words, null, 0, new HighlightOptions(1, 15, 30)).highlights().get(0);

    assertThat(best.startSec()).isGreaterThanOrEqualTo(dialogueStart - 6);
    assertThat(best.endSec()).isLessThanOrEqualTo(dialogueEnd + 6);
    assertThat(best.features().get("speakerChanges")).isGreaterThanOrEqualTo(2.0);
    assertThat(best.features()).containsKeys("speakers", "weight.speakers");
    double weights = 0.4 + 0.2 + 0.1 + 0.1;
    double weighted = 0.4 * best.features().get("keywords") + 0.2 * best.features().get("speakingRate")
        + 0.1 * best.features().get("cues") + 0.1 * best.features().get("speakers");
    assertThat(best.score()).isCloseTo(weighted / weights, within(1e-12));
  }

  @Test
  void titleIsTheMostSalientSentenceCutToEightWords() {
    TestTranscripts t = new TestTranscripts(0).sentences(12, FILLER);
    t.sentence("so quantum entanglement lets distant particles share correlated measurement outcomes instantly")
        .sentence("and that is all")
        .sentence("physicists checked it")
        .sentence("satellite links");
    t.sentences(12, FILLER);

    Highlight best = selector.select(t.words(), null, 0, new HighlightOptions(1, 10, 60)).highlights().get(0);

    // the leading "so" is dropped; 9 words remain, so the title stops at eight and says it was cut
    assertThat(best.title()).isEqualTo("Quantum entanglement lets distant particles share correlated measurement…");
  }

  @Test
  void everyHighlightHasATitleFromItsOwnWords() {
    List<Highlight> hs = selector.select(varied(40), null, 0, HighlightOptions.defaults()).highlights();

    assertThat(hs).isNotEmpty();
    for (Highlight h : hs) {
      assertThat(h.title()).isNotBlank();
      String firstWord = h.title().split(" ")[0].toLowerCase(java.util.Locale.ROOT).replace("…", "");
      assertThat(h.text()).contains(firstWord);
      assertThat(h.title().split(" ").length).isLessThanOrEqualTo(HighlightSelector.TITLE_WORDS);
    }
  }

  @Test
  void shortlistExtendsTheSelectionWithoutChangingItsHead() {
    List<Word> words = varied(60);
    HighlightOptions options = new HighlightOptions(3, 15, 30);

    List<Highlight> selected = selector.select(words, null, 0, options).highlights();
    List<Highlight> pool = selector.shortlist(words, null, 0, options, 8).highlights();

    assertThat(selected).hasSize(3);
    assertThat(pool).hasSizeGreaterThan(3).hasSizeLessThanOrEqualTo(8);
    assertThat(pool.subList(0, 3)).isEqualTo(selected);
    for (int i = 0; i < pool.size(); i++) {
      for (int j = i + 1; j < pool.size(); j++) {
        Highlight a = pool.get(i);
        Highlight b = pool.get(j);
        assertThat(a.endSec() <= b.startSec() + 1e-9 || b.endSec() <= a.startSec() + 1e-9).isTrue();
      }
    }
  }
}

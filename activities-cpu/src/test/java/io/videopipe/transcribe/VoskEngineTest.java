package io.videopipe.transcribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.videopipe.transcribe.SilenceSplitter.Stretch;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** Vosk on real (synthesised) speech: accuracy, timestamps, parallel stretches, cancellation. */
class VoskEngineTest {
  /**
   * Word error rate allowed on the espeak-ng fixture. Measured 0.053 with vosk-model-en 0.3.45 (38 words; "read a good
   * book" heard as "read your book"). Synthetic speech is fragile for this small model (other espeak voices and speeds
   * of similar sentences scored 0 to 0.29), so the bound leaves room for another espeak-ng or model build, while a
   * broken pipeline (wrong sample rate, byte order, offsets or lost stretches) scores far above it.
   */
  static final double MAX_WER = 0.20;
  /**
   * Word error rate allowed per repetition of the 4x file cut into 8 s stretches. Each stretch starts a fresh
   * recogniser whose feature normalisation and speaker adaptation warm up again, so words just after a cut come out
   * worse, and Vosk 0.3.45 is not bit-reproducible there (the same file in the same process gave "at home" or "have to
   * go"): measured 0.105 to 0.132 for three repetitions and 0.21 to 0.29 for the last. Production stretches are 45 s.
   */
  static final double MAX_WER_SHORT_STRETCHES = 0.40;
  /** The whole 4x file: measured 0.138 to 0.158. */
  static final double MAX_WER_4X = 0.25;
  /**
   * Words of all three sentences that every repetition must contain, in this order, all but one: a lost stretch (8 s)
   * drops several of them, while a single word just after a cut may come out as another word (measured: "garden" as
   * "meal" once in a loaded run).
   */
  static final List<String> ANCHORS =
      List.of("today", "garden", "please", "report", "team", "meeting", "friday", "morning", "lunch", "walk", "park");

  /** Stretch target that forces several stretches on the 4x file (about 63 s). */
  static final double SMALL_CHUNK_SEC = 8;
  static final int REPEATS = 4;
  static final double GAP_SEC = 1.5;

  @TempDir static Path dir;
  static VoskEngine engine;
  static Path fixture;
  static Path repeated;
  static double[] repetitionStarts;
  static Transcript single;

  @BeforeAll
  static void loadModelOnce() throws Exception {
    engine = new VoskEngine(SpeechFixtures.locator(), new VoskEngine.Settings(2, 45));
    long t0 = System.nanoTime();
    engine.loadModel();
    System.out.printf("model loaded in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    fixture = SpeechFixtures.copyFixture(dir);
    repeated = dir.resolve("repeated.wav");
    repetitionStarts = SpeechFixtures.writeRepeated(repeated, REPEATS, GAP_SEC);
    single = engine.transcribe(fixture, "en", null);
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void recognisesTheFixtureWithinTheErrorBound() {
    double wer = SpeechFixtures.wordErrorRate(SpeechFixtures.referenceText(), single.text());
    System.out.printf("WER %.3f: %s%n", wer, single.text());

    assertThat(wer).as("WER of '%s'", single.text()).isLessThanOrEqualTo(MAX_WER);
    assertThat(single.engine()).isEqualTo("local");
    assertThat(single.language()).isEqualTo("en");
    assertThat(single.meanConfidence()).isBetween(0.5, 1.0);
  }

  @Test
  void timestampsAreOnTheAudioTimeline() throws Exception {
    double duration = SpeechFixtures.fixtureSec();
    List<Word> words = single.words();

    assertThat(single.durationSec()).isCloseTo(duration, within(0.001));
    assertThat(words).isNotEmpty();
    assertThat(words.get(0).start()).isGreaterThanOrEqualTo(SpeechFixtures.LEADING_SILENCE_SEC - 0.1);
    for (int i = 0; i < words.size(); i++) {
      Word w = words.get(i);
      assertThat(w.end()).as("end of %s", w).isGreaterThan(w.start());
      assertThat(w.end()).as("end of %s", w).isLessThanOrEqualTo(duration);
      assertThat(w.confidence()).isBetween(0.0, 1.0);
      if (i > 0) {
        assertThat(w.start()).as("start of %s", w).isGreaterThanOrEqualTo(words.get(i - 1).start());
      }
    }
  }

  @Test
  void longAudioIsSplitAtPausesAndRecognisedInOrder() throws Exception {
    List<Stretch> stretches = VoskEngine.stretches(repeated, WavFormat.read(repeated), SMALL_CHUNK_SEC);
    System.out.println("stretches " + stretches);
    assertThat(stretches).hasSizeGreaterThanOrEqualTo(REPEATS + 1);

    List<Double> progress = new CopyOnWriteArrayList<>();
    Transcript t = engine.transcribe(repeated, "en", progress::add, SMALL_CHUNK_SEC);

    double fixtureSec = SpeechFixtures.fixtureSec();
    Word firstAlone = single.words().get(0);
    Word lastAlone = single.words().get(single.words().size() - 1);
    StringBuilder allReference = new StringBuilder();
    for (int k = 0; k < REPEATS; k++) {
      double offset = repetitionStarts[k];
      List<Word> rep = SpeechFixtures.between(t.words(), offset, offset + fixtureSec);
      String text = SpeechFixtures.text(rep);
      double wer = SpeechFixtures.wordErrorRate(SpeechFixtures.referenceText(), text);
      System.out.printf("repetition %d at %.2f s, WER %.3f: %s%n", k, offset, wer, text);
      assertThat(wer).as("repetition %d: %s", k, text).isLessThanOrEqualTo(MAX_WER_SHORT_STRETCHES);
      assertThat(anchorsInOrder(SpeechFixtures.normalise(text)))
          .as("repetition %d: %s", k, text)
          .isGreaterThanOrEqualTo(ANCHORS.size() - 1);
      assertThat(rep.get(0).start()).isCloseTo(offset + firstAlone.start(), within(0.5));
      assertThat(rep.get(rep.size() - 1).end()).isCloseTo(offset + lastAlone.end(), within(0.5));
      allReference.append(SpeechFixtures.referenceText()).append(' ');
    }
    double overall = SpeechFixtures.wordErrorRate(allReference.toString(), t.text());
    System.out.printf("4x WER %.3f%n", overall);
    assertThat(overall).isLessThanOrEqualTo(MAX_WER_4X);
    assertThat(t.durationSec()).isCloseTo(repetitionStarts[REPEATS - 1] + fixtureSec, within(0.001));
    for (int i = 1; i < t.words().size(); i++) {
      assertThat(t.words().get(i).start()).isGreaterThanOrEqualTo(t.words().get(i - 1).start());
    }
    assertThat(progress).isNotEmpty().isSorted().last().isEqualTo(1.0);
  }

  @Test
  void interruptionStopsRecognitionPromptly() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      Future<Transcript> run =
          caller.submit(
              () ->
                  engine.transcribe(
                      repeated,
                      "en",
                      fraction -> {
                        if (fraction > 0) {
                          started.countDown();
                        }
                      },
                      SMALL_CHUNK_SEC));
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      long cancelledAt = System.nanoTime();
      run.cancel(true);
      caller.shutdown();
      assertThat(caller.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
      System.out.printf("stopped %.0f ms after the interrupt%n", (System.nanoTime() - cancelledAt) / 1e6);
    } finally {
      caller.shutdownNow();
    }
    // The shared pool is free again: a new transcription runs normally.
    assertThat(engine.transcribe(fixture, "en", null).words()).hasSameSizeAs(single.words());
  }

  @Test
  void aFailingListenerStopsRecognition() {
    RuntimeException cancelled = new RuntimeException("cancelled by the activity");
    assertThatThrownBy(
            () ->
                engine.transcribe(
                    repeated,
                    "en",
                    fraction -> {
                      if (fraction > 0) {
                        throw cancelled;
                      }
                    },
                    SMALL_CHUNK_SEC))
        .isSameAs(cancelled);
  }

  @Test
  void rejectsAudioItCannotRead() throws Exception {
    Path stereo = dir.resolve("stereo.wav");
    Files.write(stereo, SpeechFixtures.header(0, 2, 16));
    Path text = dir.resolve("not-a.wav");
    Files.writeString(text, "hello");

    assertThatThrownBy(() -> engine.transcribe(stereo, "en", null))
        .isInstanceOf(UnsupportedAudioFileException.class)
        .hasMessageContaining("2 channel(s)");
    assertThatThrownBy(() -> engine.transcribe(text, "en", null)).isInstanceOf(UnsupportedAudioFileException.class);
  }

  @Test
  void rejectsLanguagesWithoutAModel() {
    assertThatThrownBy(() -> engine.transcribe(fixture, "de", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'de'");
    assertThat(VoskEngine.isEnglish("en-US")).isTrue();
    assertThat(VoskEngine.isEnglish(null)).isTrue();
    assertThat(VoskEngine.isEnglish("eng")).isFalse();
  }

  @Test
  void emptyAudioGivesAnEmptyTranscript() throws Exception {
    Path empty = dir.resolve("empty.wav");
    Files.write(empty, SpeechFixtures.header(0));

    Transcript t = engine.transcribe(empty, "en", null);

    assertThat(t.words()).isEmpty();
    assertThat(t.durationSec()).isZero();
  }

  @Test
  void reportsItsModel() {
    assertThat(engine.availability().available()).isTrue();
    assertThat(engine.availability().detail()).contains("vosk-model-en-us-0.3.45");
  }

  /**
   * Real-time factor (compute seconds per audio second) with 1 and 2 recognisers on the 4x file. A measurement, not a
   * check: {@code mvn -pl activities-cpu test -Dtest=VoskEngineTest#realTimeFactor -Dvosk.rtf=true}.
   */
  @Test
  @EnabledIfSystemProperty(named = "vosk.rtf", matches = "true")
  void realTimeFactor() throws Exception {
    double audioSec = WavFormat.read(repeated).durationSec();
    var cpu = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int threads : new int[] {1, 2}) {
      try (VoskEngine e = new VoskEngine(SpeechFixtures.locator(), new VoskEngine.Settings(threads, SMALL_CHUNK_SEC))) {
        e.loadModel();
        e.transcribe(fixture, "en", null);
        long cpu0 = cpu.getProcessCpuTime();
        long t0 = System.nanoTime();
        e.transcribe(repeated, "en", null);
        double sec = (System.nanoTime() - t0) / 1e9;
        double cpuSec = (cpu.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf(
            "RTF threads=%d: %.1f s audio in %.2f s wall = %.3f (%.1fx real time), %.2f s CPU, load average %.1f%n",
            threads, audioSec, sec, sec / audioSec, audioSec / sec, cpuSec, cpu.getSystemLoadAverage());
      }
    }
  }

  /** How many of {@link #ANCHORS} appear in {@code words} in order (longest common subsequence). */
  static int anchorsInOrder(List<String> words) {
    int[][] lcs = new int[ANCHORS.size() + 1][words.size() + 1];
    for (int i = 1; i <= ANCHORS.size(); i++) {
      for (int j = 1; j <= words.size(); j++) {
        lcs[i][j] =
            ANCHORS.get(i - 1).equals(words.get(j - 1))
                ? lcs[i - 1][j - 1] + 1
                : Math.max(lcs[i - 1][j], lcs[i][j - 1]);
      }
    }
    return lcs[ANCHORS.size()][words.size()];
  }
}

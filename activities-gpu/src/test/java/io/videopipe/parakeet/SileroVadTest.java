package io.videopipe.parakeet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import io.videopipe.parakeet.SileroVad.Span;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The real Silero model on the committed espeak-ng sample: three sentences after 0.7 s of silence. */
class SileroVadTest {
  private static final OptionalInt CPU = OptionalInt.empty();
  static final Path SAMPLE =
      Path.of("..", "activities-cpu", "src", "test", "resources", "speech", "three-sentences.wav")
          .toAbsolutePath()
          .normalize();

  @Test
  void findsTheThreeSentencesAndThePausesBetweenThem() throws Exception {
    float[] audio = Pcm16Wav.read(SAMPLE);
    try (SileroVad vad = new SileroVad(OrtEnvironment.getEnvironment(), SileroVad.Chunking.defaults(), CPU)) {
      long started = System.nanoTime();
      List<Span> spans = vad.speech(audio, SileroVad.Settings.defaults(20));
      double sec = (System.nanoTime() - started) / 1e9;
      System.out.printf("VAD: %.1f s of audio in %.3f s (%.0fx real time)%n", audio.length / 16000.0, sec,
          audio.length / 16000.0 / sec);
      spans.forEach(s -> System.out.printf("  %.3f - %.3f%n", s.start() / 16000.0, s.end() / 16000.0));
      assertThat(spans).hasSize(3);
      // Where the sentences are, from the waveform's 10 ms RMS (> 100 of 32768): 0.74-3.90, 4.28-7.97, 8.30-11.45 s.
      // Silero starts a span up to one 32 ms window late plus 30 ms padding early, and ends it after 100 ms of
      // silence plus padding: 0.15 s covers both.
      double[][] sentences = {{0.74, 3.90}, {4.28, 7.97}, {8.30, 11.45}};
      for (int i = 0; i < 3; i++) {
        assertThat(spans.get(i).start() / 16000.0).as("start of sentence %d", i + 1)
            .isCloseTo(sentences[i][0], org.assertj.core.api.Assertions.within(0.15));
        assertThat(spans.get(i).end() / 16000.0).as("end of sentence %d", i + 1)
            .isCloseTo(sentences[i][1], org.assertj.core.api.Assertions.within(0.15));
      }
    }
  }

  @Test
  void chunksRunInParallelFindTheSpansOfTheSequentialRunWithin50Ms() throws Exception {
    // Three minutes of the sample looped with varying gaps, so chunk boundaries fall in speech and in silence.
    float[] one = Pcm16Wav.read(SAMPLE);
    java.util.Random random = new java.util.Random(3);
    float[] audio = new float[180 * 16000];
    for (int at = 0; at + one.length < audio.length; at += one.length + random.nextInt(16000)) {
      System.arraycopy(one, 0, audio, at, one.length);
    }
    SileroVad.Settings settings = SileroVad.Settings.defaults(20);
    List<Span> sequential;
    try (SileroVad vad = new SileroVad(OrtEnvironment.getEnvironment(), SileroVad.Chunking.sequential(), CPU)) {
      sequential = vad.speech(audio, settings);
    }
    assertThat(sequential).hasSizeGreaterThan(30);
    // 7 s chunks (26 of them, 4 s warm-up each), 4 per model run, on 3 threads; and the GPU's 4 s chunks (all 45
    // of them in one model run per step), here on the CPU: the chunking is the same on either device.
    for (SileroVad.Chunking chunking : List.of(new SileroVad.Chunking(7, 4, 4, 3), SileroVad.Chunking.gpu())) {
      List<Span> chunked;
      try (SileroVad vad = new SileroVad(OrtEnvironment.getEnvironment(), chunking, CPU)) {
        chunked = vad.speech(audio, settings);
        // Two jobs at once on the shared threads get the same answer as one alone.
        var other = java.util.concurrent.CompletableFuture.supplyAsync(() -> speech(vad, audio, settings));
        assertThat(speech(vad, audio, settings)).isEqualTo(chunked);
        assertThat(other.get()).isEqualTo(chunked);
      }
      assertThat(chunked).as("%s", chunking).hasSameSizeAs(sequential);
      int worst = 0;
      for (int i = 0; i < sequential.size(); i++) {
        worst = Math.max(worst, Math.abs(chunked.get(i).start() - sequential.get(i).start()));
        worst = Math.max(worst, Math.abs(chunked.get(i).end() - sequential.get(i).end()));
      }
      System.out.printf("%s: spans at most %.0f ms off the sequential run%n", chunking, worst / 16.0);
      for (int i = 0; i < sequential.size(); i++) {
        assertThat(Math.abs(chunked.get(i).start() - sequential.get(i).start()))
            .as("%s: start of span %d", chunking, i)
            .isLessThanOrEqualTo(800);
        assertThat(Math.abs(chunked.get(i).end() - sequential.get(i).end()))
            .as("%s: end of span %d", chunking, i)
            .isLessThanOrEqualTo(800);
      }
    }
  }

  private static List<Span> speech(SileroVad vad, float[] audio, SileroVad.Settings settings) {
    try {
      return vad.speech(audio, settings);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void cutsSpeechLongerThanTheMaximumAtAPause() {
    // 30 s of speech with a 0.2 s pause at 12 s: with a 20 s maximum the cut falls in that pause.
    float[] probs = new float[(30 * 16000) / SileroVad.WINDOW];
    java.util.Arrays.fill(probs, 0.9f);
    int pauseFrom = 12 * 16000 / SileroVad.WINDOW;
    for (int i = pauseFrom; i < pauseFrom + 6; i++) {
      probs[i] = 0.1f;
    }
    List<Span> spans = SileroVad.spans(probs, 30 * 16000, SileroVad.Settings.defaults(20));
    assertThat(spans).hasSize(2);
    assertThat(spans.get(0).end() / 16000.0).isBetween(11.9, 12.3);
    assertThat(spans).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(20 * 16000));

    // No pause at all: a hard cut at the maximum.
    java.util.Arrays.fill(probs, 0.9f);
    List<Span> hard = SileroVad.spans(probs, 30 * 16000, SileroVad.Settings.defaults(20));
    assertThat(hard).hasSize(2);
    assertThat(hard).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(20 * 16000));
  }
}

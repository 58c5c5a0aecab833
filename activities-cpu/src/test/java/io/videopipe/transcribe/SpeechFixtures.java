package io.videopipe.transcribe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The committed speech fixture (made by {@code scripts/make-speech-fixture.sh} with espeak-ng), longer files built
 * from it, and word error rate.
 */
final class SpeechFixtures {
  static final String WAV = "/speech/three-sentences.wav";
  static final String TEXT = "/speech/three-sentences.txt";
  static final int RATE = 16_000;
  /** The fixture has this much silence before the first word. */
  static final double LEADING_SILENCE_SEC = 0.7;

  /** A model cache kept in target/ so repeated runs extract the model once; {@code mvn clean} drops it. */
  static final Path MODEL_CACHE = Path.of("target", "vosk-model-en-us-" + VoskModelLocator.MODEL_VERSION);

  private static byte[] pcm;

  private SpeechFixtures() {}

  static VoskModelLocator locator() {
    return new VoskModelLocator(null, MODEL_CACHE);
  }

  static String referenceText() {
    try (InputStream in = SpeechFixtures.class.getResourceAsStream(TEXT)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path copyFixture(Path dir) throws IOException {
    Path out = dir.resolve("three-sentences.wav");
    try (InputStream in = SpeechFixtures.class.getResourceAsStream(WAV)) {
      Files.copy(in, out);
    }
    return out;
  }

  /** The fixture's samples as little-endian bytes. */
  static synchronized byte[] fixturePcm() throws Exception {
    if (pcm == null) {
      Path tmp = Files.createTempFile("fixture", ".wav");
      try {
        try (InputStream in = SpeechFixtures.class.getResourceAsStream(WAV)) {
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        WavFormat f = WavFormat.read(tmp);
        pcm = Arrays.copyOfRange(Files.readAllBytes(tmp), (int) f.dataOffset(), (int) f.offsetOf(f.samples()));
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    return pcm;
  }

  static double fixtureSec() throws Exception {
    return fixturePcm().length / 2.0 / RATE;
  }

  /**
   * Writes the fixture {@code times} times with {@code gapSec} of silence between repetitions and returns where each
   * repetition starts, in seconds.
   */
  static double[] writeRepeated(Path out, int times, double gapSec) throws Exception {
    byte[] pcm = fixturePcm();
    byte[] gap = new byte[2 * (int) Math.round(gapSec * RATE)];
    double[] offsets = new double[times];
    long dataBytes = (long) times * pcm.length + (long) (times - 1) * gap.length;
    try (OutputStream os = Files.newOutputStream(out)) {
      os.write(header(dataBytes));
      long written = 0;
      for (int i = 0; i < times; i++) {
        if (i > 0) {
          os.write(gap);
          written += gap.length;
        }
        offsets[i] = written / 2.0 / RATE;
        os.write(pcm);
        written += pcm.length;
      }
    }
    return offsets;
  }

  /** A canonical 44-byte header of 16 kHz mono s16le. */
  static byte[] header(long dataBytes) {
    return header(dataBytes, 1, 16);
  }

  static byte[] header(long dataBytes, int channels, int bits) {
    ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes));
    b.put("WAVE".getBytes(StandardCharsets.US_ASCII));
    b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
    b.putShort((short) 1).putShort((short) channels).putInt(RATE);
    b.putInt(RATE * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) dataBytes);
    return b.array();
  }

  static List<String> normalise(String text) {
    String clean = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]", " ").trim();
    return clean.isEmpty() ? List.of() : List.of(clean.split("\\s+"));
  }

  static String text(List<Word> words) {
    return words.stream().map(Word::text).collect(Collectors.joining(" "));
  }

  /** Word-level Levenshtein distance divided by the reference length. */
  static double wordErrorRate(String reference, String hypothesis) {
    List<String> ref = normalise(reference);
    List<String> hyp = normalise(hypothesis);
    int[] prev = new int[hyp.size() + 1];
    int[] cur = new int[hyp.size() + 1];
    for (int j = 0; j <= hyp.size(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= ref.size(); i++) {
      cur[0] = i;
      for (int j = 1; j <= hyp.size(); j++) {
        int substitute = prev[j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
        cur[j] = Math.min(substitute, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return ref.isEmpty() ? (hyp.isEmpty() ? 0 : 1) : (double) prev[hyp.size()] / ref.size();
  }

  /** The words whose start lies in {@code [from, to)}. */
  static List<Word> between(List<Word> words, double from, double to) {
    List<Word> out = new ArrayList<>();
    for (Word w : words) {
      if (w.start() >= from && w.start() < to) {
        out.add(w);
      }
    }
    return out;
  }
}

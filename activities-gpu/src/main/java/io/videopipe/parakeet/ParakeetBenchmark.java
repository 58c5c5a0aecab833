package io.videopipe.parakeet;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code bench-parakeet <modelDir> <audio.wav> [--cpu] [--int8] [--batch N] [--max-segment SEC] [--runs N]}: prints
 * the real-time factor (audio seconds per compute second) of each stage and overall, on CUDA when available.
 */
public final class ParakeetBenchmark {
  private ParakeetBenchmark() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2) {
      err.println(
          "usage: videopipe.jar bench-parakeet <modelDir> <audio.wav (16 kHz mono s16le)> [--cpu] [--int8]"
              + " [--batch N] [--max-segment SEC] [--runs N]");
      return 2;
    }
    boolean cuda = true;
    boolean int8 = false;
    int batch = 8;
    double maxSegment = 20;
    int runs = 3;
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "--cpu" -> cuda = false;
        case "--int8" -> int8 = true;
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--max-segment" -> maxSegment = Double.parseDouble(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        default -> {
          err.println("bench-parakeet: unknown option " + args[i]);
          return 2;
        }
      }
    }
    ParakeetEngine.Settings settings =
        new ParakeetEngine.Settings(
            Path.of(args[0]), new ParakeetModel.Options(int8, cuda, 0, 0), maxSegment, batch);
    try (ParakeetEngine engine = ParakeetEngine.load(settings)) {
      float[] audio = Pcm16Wav.read(Path.of(args[1]));
      out.printf(
          Locale.ROOT, "model %s on %s, %.1f s of audio, batch %d%n", args[0], engine.model().provider(),
          audio.length / 16000.0, batch);
      for (int r = 0; r <= runs; r++) {
        ParakeetEngine.Result result = engine.transcribe(audio, "en", null);
        ParakeetEngine.Timings t = result.timings();
        out.printf(
            Locale.ROOT,
            "%s: %d segments, %d words | RTFx vad %.0f, frontend %.0f, encoder %.0f, decoding %.0f, overall %.1f%n",
            r == 0 ? "warm-up" : "run " + r, result.segments(), result.transcript().words().size(),
            rtfx(t.audioSec(), t.vadSec()), rtfx(t.audioSec(), t.frontendSec()), rtfx(t.audioSec(), t.encoderSec()),
            rtfx(t.audioSec(), t.decoderSec()), rtfx(t.audioSec(), t.totalSec()));
        if (r == runs) {
          String text = result.transcript().text();
          out.println("text: " + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
        }
      }
      return 0;
    } catch (Exception e) {
      err.println("bench-parakeet: " + e.getMessage());
      return 1;
    }
  }

  private static double rtfx(double audioSec, double sec) {
    return sec > 0 ? audioSec / sec : Double.POSITIVE_INFINITY;
  }
}

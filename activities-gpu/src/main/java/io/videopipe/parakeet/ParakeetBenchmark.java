package io.videopipe.parakeet;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code bench-parakeet <modelDir> <audio.wav> [--cpu] [--int8] [--batch N] [--max-segment SEC] [--runs N]
 * [--parallel N]}: prints a table with the real-time factor (audio seconds per compute second) of each stage (VAD,
 * frontend, encoder, decoding) and overall, averaged over the runs after a warm-up, on CUDA when available. With
 * {@code --parallel N} it then runs N transcriptions of the audio at once, whose segments share encoder batches, and
 * prints their combined throughput.
 */
public final class ParakeetBenchmark {
  static final String USAGE =
      "usage: videopipe.jar bench-parakeet <modelDir> <audio.wav (16 kHz mono s16le)> [--cpu] [--int8]"
          + " [--batch N] [--max-segment SEC] [--runs N] [--parallel N]";

  private ParakeetBenchmark() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2) {
      err.println(USAGE);
      return 2;
    }
    boolean cuda = true;
    boolean int8 = false;
    int batch = 8;
    double maxSegment = 20;
    int runs = 3;
    int parallel = 1;
    try {
      for (int i = 2; i < args.length; i++) {
        switch (args[i]) {
          case "--cpu" -> cuda = false;
          case "--int8" -> int8 = true;
          case "--batch" -> batch = Integer.parseInt(args[++i]);
          case "--max-segment" -> maxSegment = Double.parseDouble(args[++i]);
          case "--runs" -> runs = Integer.parseInt(args[++i]);
          case "--parallel" -> parallel = Integer.parseInt(args[++i]);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (runs < 1 || parallel < 1) {
        throw new IllegalArgumentException("--runs and --parallel must be at least 1");
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      err.println("bench-parakeet: " + args[args.length - 1] + " needs a value");
      err.println(USAGE);
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("bench-parakeet: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    ParakeetEngine.Settings settings;
    try {
      settings =
          new ParakeetEngine.Settings(
              Path.of(args[0]), new ParakeetModel.Options(int8, cuda, 0, 0), maxSegment, batch);
    } catch (IllegalArgumentException e) {
      err.println("bench-parakeet: " + e.getMessage());
      return 2;
    }
    try (ParakeetEngine engine = ParakeetEngine.load(settings)) {
      float[] audio = Pcm16Wav.read(Path.of(args[1]));
      double audioSec = audio.length / (double) MelFrontend.SAMPLE_RATE;
      ParakeetEngine.Result warmUp = engine.transcribe(audio, "en", null);
      double vad = 0;
      double frontend = 0;
      double encoder = 0;
      double decoding = 0;
      ParakeetEngine.Result last = warmUp;
      for (int r = 0; r < runs; r++) {
        last = engine.transcribe(audio, "en", null);
        ParakeetEngine.Timings t = last.timings();
        vad += t.vadSec() / runs;
        frontend += t.frontendSec() / runs;
        encoder += t.encoderSec() / runs;
        decoding += t.decoderSec() / runs;
      }
      out.printf(
          Locale.ROOT,
          "model %s on %s%s, %.1f s of audio in %d segments, batch %d, mean of %d runs after a warm-up%n",
          args[0], engine.model().provider(), int8 ? " (int8)" : "", audioSec, last.segments(), batch, runs);
      out.printf(Locale.ROOT, "%-10s %12s %12s%n", "stage", "seconds", "RTFx");
      row(out, "VAD", vad, audioSec);
      row(out, "frontend", frontend, audioSec);
      row(out, "encoder", encoder, audioSec);
      row(out, "decoding", decoding, audioSec);
      row(out, "overall", vad + frontend + encoder + decoding, audioSec);
      String text = last.transcript().text();
      out.println("words: " + last.transcript().words().size());
      out.println("text: " + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
      if (parallel > 1) {
        parallel(engine, audio, audioSec, parallel, out);
      }
      return 0;
    } catch (Exception e) {
      err.println("bench-parakeet: " + e.getMessage());
      return 1;
    }
  }

  /** N transcriptions of the audio at once: their segments share encoder batches. */
  private static void parallel(ParakeetEngine engine, float[] audio, double audioSec, int n, PrintStream out)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      long runsBefore = engine.batcher().encoderRuns();
      long segmentsBefore = engine.batcher().segmentsEncoded();
      long started = System.nanoTime();
      List<Future<ParakeetEngine.Result>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        results.add(pool.submit(() -> engine.transcribe(audio, "en", null)));
      }
      for (Future<ParakeetEngine.Result> r : results) {
        r.get();
      }
      double wall = (System.nanoTime() - started) / 1e9;
      out.printf(
          Locale.ROOT,
          "parallel   %d transcriptions at once: %.3f s wall, overall RTFx %.1f, %d segments in %d encoder runs%n",
          n, wall, n * audioSec / wall, engine.batcher().segmentsEncoded() - segmentsBefore,
          engine.batcher().encoderRuns() - runsBefore);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void row(PrintStream out, String stage, double sec, double audioSec) {
    out.printf(Locale.ROOT, "%-10s %12.4f %12.1f%n", stage, sec, sec > 0 ? audioSec / sec : Double.POSITIVE_INFINITY);
  }
}

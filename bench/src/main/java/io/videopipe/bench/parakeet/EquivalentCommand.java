package io.videopipe.bench.parakeet;

import io.videopipe.bench.parakeet.EquivalentParakeet.Config;
import io.videopipe.bench.parakeet.EquivalentParakeet.Precision;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code parakeet-equivalent [--int8] [--dir=DIR] [--force]}: writes (or finds already written) the compute-equivalent
 * Parakeet-TDT-0.6B model with random weights, by default in {@code ~/.cache/videopipe/parakeet-equivalent/{fp32,int8}},
 * and prints its directory. For speed figures only: it transcribes noise.
 */
public final class EquivalentCommand {
  static final String USAGE = "usage: videopipe.jar parakeet-equivalent [--int8] [--dir=DIR] [--force]";

  private EquivalentCommand() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Precision precision = Precision.FP32;
    Path dir = null;
    boolean force = false;
    for (String a : args) {
      if (a.equals("--int8")) {
        precision = Precision.INT8;
      } else if (a.equals("--force")) {
        force = true;
      } else if (a.startsWith("--dir=")) {
        dir = Path.of(a.substring("--dir=".length()));
      } else {
        err.println("parakeet-equivalent: unknown option " + a);
        err.println(USAGE);
        return 2;
      }
    }
    try {
      Path written = ensure(dir != null ? dir : EquivalentParakeet.defaultCache(precision), precision, force, err);
      out.println(written.toAbsolutePath());
      return 0;
    } catch (Exception e) {
      err.println("parakeet-equivalent: " + e);
      return 1;
    }
  }

  /** The full-size model in {@code dir}, generated unless it is there already. */
  static Path ensure(Path dir, Precision precision, boolean force, PrintStream err) throws Exception {
    Config config = Config.parakeetTdt06b();
    if (!force && EquivalentParakeet.isGenerated(dir, config, precision)) {
      err.println("parakeet-equivalent: reusing " + dir);
      return dir;
    }
    long t0 = System.nanoTime();
    err.printf(
        Locale.ROOT, "parakeet-equivalent: writing %s (%s, %.0f M encoder parameters, random weights) ...%n", dir,
        precision.dirName(), config.encoderParameters() / 1e6);
    EquivalentParakeet.write(dir, config, precision);
    err.printf(Locale.ROOT, "parakeet-equivalent: written in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    return dir;
  }
}

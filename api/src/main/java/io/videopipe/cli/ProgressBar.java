package io.videopipe.cli;

import io.videopipe.pipeline.Progress;
import java.io.PrintStream;
import java.util.Locale;

/** Step and percent on stderr: a redrawn bar on a terminal, one line per step change otherwise (logs, CI). */
final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final boolean terminal;
  private final long startNanos = System.nanoTime();
  private String lastLine;

  ProgressBar(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  void show(Progress p) {
    int filled = Math.min(WIDTH, p.percent() * WIDTH / 100);
    String step = p.step().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    String engine = p.engine() == null ? "" : " [" + p.engine() + "]";
    String line = String.format(Locale.ROOT, "%-13s%s", step, engine);
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    if (terminal) {
      out.printf(
          Locale.ROOT, "\r[%s%s] %3d%% %s %6.1fs ", "#".repeat(filled), "-".repeat(WIDTH - filled), p.percent(), line, elapsed);
      out.flush();
    } else if (!line.equals(lastLine)) {
      out.printf(Locale.ROOT, "%3d%% %s (%.1fs)%n", p.percent(), line.strip(), elapsed);
    }
    lastLine = line;
  }

  void finish(String status) {
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    if (terminal) {
      out.println();
    }
    out.printf(Locale.ROOT, "%s in %.1fs%n", status, elapsed);
  }
}

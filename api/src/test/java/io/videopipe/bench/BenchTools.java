package io.videopipe.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The tools a bench test needs beside the JVM. */
final class BenchTools {
  private BenchTools() {}

  /**
   * The bytedeco ffmpeg CLI, ready in {@code workDir}. Where it cannot start (no libpulse0) the calling test is skipped
   * with the reason, except under {@code CI=true}: .ci/run installs libpulse0, so there it fails.
   */
  static FfmpegCli ffmpegCli(Path workDir) throws IOException {
    try {
      return FfmpegCli.locate(workDir);
    } catch (IllegalStateException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(e.getMessage() + " (CI=true: .ci/run installs libpulse0)", e);
      }
      return Assumptions.abort(e.getMessage());
    }
  }
}

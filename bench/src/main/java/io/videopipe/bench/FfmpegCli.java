package io.videopipe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;

/**
 * The {@code ffmpeg} executable that ships in the bytedeco FFmpeg jar, the yardstick for our in-process code. It links
 * {@code libva.so.2}, which the jar ships under its link name only (a directory of symlinks fixes that), and
 * PulseAudio's {@code libpulse.so.0}, which must come from the system (Debian: libpulse0).
 */
final class FfmpegCli {
  /** Linux USER_HZ: the unit of the CPU times in /proc/self/stat. */
  private static final double CLOCK_TICKS_PER_SEC = 100;

  /** One finished run; {@code cpuSec} is NaN where /proc is not readable. */
  record Run(double wallSec, double cpuSec) {}

  private final Path exe;
  private final String libraryPath;

  private FfmpegCli(Path exe, String libraryPath) {
    this.exe = exe;
    this.libraryPath = libraryPath;
  }

  /** Prepares the executable and checks that it starts; throws IllegalStateException saying why it cannot. */
  static FfmpegCli locate(Path workDir) throws IOException {
    String loaded;
    try {
      loaded = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      throw new IllegalStateException("the bytedeco jar has no ffmpeg executable for this platform: " + e.getMessage());
    }
    Path exe = Path.of(loaded);
    Path libDir = exe.getParent();
    Path shim = Files.createDirectories(workDir.resolve("ffmpeg-libs"));
    link(shim.resolve("libva.so.2"), libDir.resolve("libva.so"));
    link(shim.resolve("libva-drm.so.2"), libDir.resolve("libva-drm.so"));
    String inherited = System.getenv("LD_LIBRARY_PATH");
    String path = shim + ":" + libDir + (inherited == null || inherited.isBlank() ? "" : ":" + inherited);
    FfmpegCli cli = new FfmpegCli(exe, path);
    try {
      cli.run(List.of("-hide_banner", "-version"), 60);
    } catch (IllegalStateException e) {
      if (e.getMessage().contains("libpulse.so.0")) {
        throw new IllegalStateException(
            "the ffmpeg CLI cannot start: it needs libpulse.so.0 (Debian/Ubuntu: apt-get install libpulse0)");
      }
      throw new IllegalStateException("the ffmpeg CLI cannot start: " + e.getMessage());
    }
    return cli;
  }

  Path executable() {
    return exe;
  }

  /**
   * Runs {@code ffmpeg args...}; throws IllegalStateException with its output on a non-zero exit. Its CPU time is what
   * the kernel adds to this process's reaped-children counters, read around the run (no other child may end
   * meanwhile).
   */
  Run run(List<String> args, long timeoutSec) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(exe.toString());
    cmd.addAll(args);
    Path log = Files.createTempFile("videopipe-bench-ffmpeg", ".log");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("LD_LIBRARY_PATH", libraryPath);
      double cpuBefore = childrenCpuSec();
      long t0 = System.nanoTime();
      Process p = pb.start();
      if (!p.waitFor(timeoutSec, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("ffmpeg ran over " + timeoutSec + " s: " + String.join(" ", args));
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = childrenCpuSec() - cpuBefore;
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "ffmpeg exit " + p.exitValue() + ": " + Files.readString(log, StandardCharsets.UTF_8).strip());
      }
      return new Run(wall, cpu);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running ffmpeg", e);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** cutime + cstime of /proc/self/stat: CPU time of this process's children that have ended and been reaped. */
  static double childrenCpuSec() {
    try {
      return parseChildrenCpuSec(Files.readString(Path.of("/proc/self/stat")));
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static double parseChildrenCpuSec(String stat) {
    // Fields after the command name (which may contain spaces) start at field 3 (state); cutime is 16, cstime 17.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    return (Long.parseLong(f[16 - 3]) + Long.parseLong(f[17 - 3])) / CLOCK_TICKS_PER_SEC;
  }

  private static void link(Path link, Path target) throws IOException {
    if (Files.exists(target)) {
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, target);
    }
  }
}

package io.videopipe.bench;

import io.videopipe.audio.AudioExtractor;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Audio extraction to 16 kHz mono WAV: our in-process {@link AudioExtractor} against the {@code ffmpeg} CLI on the same
 * file, runs alternating after one warm-up of each (page cache, JIT), medians reported.
 */
final class ExtractBench {
  private ExtractBench() {}

  static Section run(BenchInputs inputs, FfmpegCli cli, String cliProblem, double inputSec, int runs, Path workDir)
      throws Exception {
    Section s = new Section("extract");
    if (cli == null) {
      return s.skipped("no comparison: " + cliProblem);
    }
    Path input = inputs.video1080p(inputSec);
    s.detail("input", input.toString()).detail("inputBytes", Files.size(input)).detail("inputSec", inputSec);
    s.detail("inputMbps", Files.size(input) * 8 / inputSec / 1e6);
    Path ours = workDir.resolve("extract-ours.wav");
    Path theirs = workDir.resolve("extract-cli.wav");
    List<String> cliArgs =
        List.of(
            "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", input.toString(), "-vn", "-ac", "1", "-ar",
            "16000", "-c:a", "pcm_s16le", theirs.toString());
    AudioExtractor extractor = new AudioExtractor();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    List<Double> oursWall = new ArrayList<>();
    List<Double> oursCpu = new ArrayList<>();
    List<Double> cliWall = new ArrayList<>();
    List<Double> cliCpu = new ArrayList<>();
    long samples = 0;
    for (int i = -1; i < runs; i++) {
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      AudioExtractor.Result r = extractor.extract(input, ours, AudioExtractor.Listener.NONE);
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      FfmpegCli.Run c = cli.run(cliArgs, 1800);
      if (i >= 0) {
        oursWall.add(wall);
        oursCpu.add(cpu);
        cliWall.add(c.wallSec());
        cliCpu.add(c.cpuSec());
      }
      samples = r.samples();
    }
    long cliSamples = (Files.size(theirs) - 44) / 2;
    double ow = Stats.median(oursWall);
    double oc = Stats.median(oursCpu);
    double cw = Stats.median(cliWall);
    double cc = Stats.median(cliCpu);
    s.figure("oursWallSec", "ours: wall, median of " + runs, ow, "s");
    s.figure("cliWallSec", "ffmpeg CLI: wall, median of " + runs, cw, "s");
    s.figure("wallRatio", "wall ours/CLI (<1: ours faster)", ow / cw, "x");
    s.figure("oursCpuSec", "ours: process CPU, median", oc, "s");
    s.figure("cliCpuSec", "ffmpeg CLI: CPU, median", cc, "s");
    s.figure("cpuRatio", "CPU ours/CLI", oc / cc, "x");
    s.figure("oursSpeed", "ours: input seconds per wall second", inputSec / ow, "x realtime");
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("oursWallSec", oursWall);
    raw.put("oursCpuSec", oursCpu);
    raw.put("cliWallSec", cliWall);
    raw.put("cliCpuSec", cliCpu);
    s.detail("runs", raw);
    s.detail("oursSamples", samples).detail("cliSamples", cliSamples);
    s.detail("cliCommand", "ffmpeg " + String.join(" ", cliArgs));
    if (Math.abs(samples - cliSamples) > AudioExtractor.SAMPLE_RATE / 10) {
      s.note("outputs differ in length: ours " + samples + " samples, CLI " + cliSamples);
    }
    s.note(
        "CLI wall includes process start and library loading; its CPU comes from /proc/self/stat cutime+cstime"
            + " (10 ms ticks), ours from the JVM's process CPU time (includes JIT and GC threads)");
    Files.deleteIfExists(ours);
    Files.deleteIfExists(theirs);
    return s;
  }
}

package io.videopipe.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.videopipe.VideoPipeApplication;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Peak heap and RSS of one worker JVM (the local role, -Xmx1g) running one job on a short and on a long speech input,
 * each in its own child JVM so the figures are that process's alone: flat figures mean memory does not grow with
 * input length.
 */
final class MemoryBench {
  static final String PROBE_OPTION = "--memory-probe=";
  static final String PROBE_JOBS_OPTION = "--probe-jobs=";
  private static final double MIB = 1 << 20;
  static final String MALLOC_ARENA_MAX = "MALLOC_ARENA_MAX";
  /** What the images set (Dockerfile, Dockerfile.gpu). */
  static final String DEPLOYED_MALLOC_ARENA_MAX = "2";

  private MemoryBench() {}

  static Section run(BenchInputs inputs, double shortSec, double longSec, Path workDir) throws Exception {
    Section s = new Section("memory");
    Map<String, Object> probes = new LinkedHashMap<>();
    Map<String, Object> shortRun = probe(inputs.speechAudio(shortSec), workDir.resolve("memory-short"), 1);
    Map<String, Object> longRun = probe(inputs.speechAudio(longSec), workDir.resolve("memory-long"), 1);
    probes.put("short", shortRun);
    probes.put("long", longRun);
    s.detail("probes", probes).detail("childJvm", "-Xmx1g, local role, one job, engine local");
    String sl = BenchInputs.fmt(shortSec / 60) + " min";
    String ll = BenchInputs.fmt(longSec / 60) + " min";
    figures(s, "short", sl, shortRun);
    figures(s, "long", ll, longRun);
    s.figure(
        "peakRssRatio", "peak RSS " + ll + " / " + sl, num(longRun, "peakRssBytes") / num(shortRun, "peakRssBytes"), "x");
    s.figure(
        "peakHeapRatio",
        "peak heap " + ll + " / " + sl,
        num(longRun, "peakHeapBeforeGcBytes") / num(shortRun, "peakHeapBeforeGcBytes"),
        "x");
    for (Map<String, Object> r : List.of(shortRun, longRun)) {
      if (!"COMPLETED".equals(r.get("status"))) {
        s.note("a memory job ended " + r.get("status") + ": " + r.get("error"));
      }
    }
    s.note("peak heap = largest heap occupancy seen just before a GC; live = largest occupancy after one");
    return s;
  }

  private static void figures(Section s, String key, String label, Map<String, Object> r) {
    s.figure(key + "PeakHeapMib", label + ": peak heap", num(r, "peakHeapBeforeGcBytes") / MIB, "MiB");
    s.figure(key + "LiveHeapMib", label + ": max live heap after GC", num(r, "maxLiveHeapAfterGcBytes") / MIB, "MiB");
    s.figure(key + "PeakRssMib", label + ": peak RSS (VmHWM)", num(r, "peakRssBytes") / MIB, "MiB");
    s.figure(key + "IdleRssMib", label + ": RSS of the started worker", num(r, "idleRssBytes") / MIB, "MiB");
    Object source = r.get("sourceSec");
    if (source instanceof Number n && n.doubleValue() > 0) {
      s.figure(key + "JobPerSourceSec", label + ": job time / source duration", num(r, "jobWallSec") / n.doubleValue(), "x");
    }
  }

  private static double num(Map<String, Object> r, String key) {
    return r.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** Runs the probe in a child JVM, {@code jobs} jobs on {@code input} at once, and returns what it printed. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> probe(Path input, Path dir, int jobs) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>(javaCommand("-Xmx1g"));
    cmd.add("bench");
    cmd.add(PROBE_OPTION + input);
    cmd.add("--work-dir=" + dir);
    cmd.add(PROBE_JOBS_OPTION + jobs);
    Path log = dir.resolve("probe.log");
    Path out = dir.resolve("probe.out");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile()).redirectOutput(out.toFile());
    // measured as deployed: the images set MALLOC_ARENA_MAX=2 (Dockerfile); a caller's own value wins
    pb.environment().putIfAbsent(MALLOC_ARENA_MAX, DEPLOYED_MALLOC_ARENA_MAX);
    Process p = pb.start();
    try {
      if (!p.waitFor(3, TimeUnit.HOURS)) {
        throw new IllegalStateException("the memory probe ran over 3 hours");
      }
    } finally {
      // interrupted or timed out: the child JVM must not outlive the bench
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      if (line.startsWith(MemoryProbe.MARKER)) {
        return new ObjectMapper().readValue(line.substring(MemoryProbe.MARKER.length()), LinkedHashMap.class);
      }
    }
    List<String> tail = Files.readAllLines(log, StandardCharsets.UTF_8);
    throw new IllegalStateException(
        "the memory probe (exit "
            + p.exitValue()
            + ") printed no figures; last lines of its log:\n"
            + String.join("\n", tail.subList(Math.max(0, tail.size() - 15), tail.size())));
  }

  /**
   * The same java and classpath as this JVM: {@code -jar} when running from the Spring Boot jar (whose nested jars
   * only its own class loader reads), else {@code -cp} with the main class.
   */
  static List<String> javaCommand(String... jvmOptions) {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(List.of(jvmOptions));
    String classPath = System.getProperty("java.class.path");
    if (VideoPipeApplication.class.getClassLoader() != ClassLoader.getSystemClassLoader()) {
      cmd.addAll(List.of("-jar", classPath));
    } else {
      cmd.addAll(List.of("-cp", classPath, VideoPipeApplication.class.getName()));
    }
    return cmd;
  }
}

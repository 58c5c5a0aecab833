package io.videopipe.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code bench [--only=extract,vosk,parakeet,pipeline,memory,render,grid] [--parakeet-model=DIR]
 * [--out=bench-results.json] [--quick]}: measures extraction against the ffmpeg CLI, the engines' real-time factors,
 * pipeline throughput and orchestration overhead, worker memory against input length, clip rendering against the
 * ffmpeg CLI and, with {@code --only=grid}, the benchmark grid (whole jobs on long inputs and many jobs at once in a
 * worker JVM); prints a table and writes every figure as JSON.
 */
public final class BenchCommand {
  static final List<String> SECTIONS =
      List.of("extract", "vosk", "parakeet", "pipeline", "memory", "render", "grid");
  /** What a plain {@code bench} runs: the grid takes hours at its full sizes, so it is asked for by name. */
  static final List<String> DEFAULT_SECTIONS = SECTIONS.stream().filter(s -> !s.equals("grid")).toList();
  static final String USAGE =
      "usage: videopipe.jar bench [--only=" + String.join(",", SECTIONS) + "] [--parakeet-model=DIR]"
          + " [--out=bench-results.json] [--quick] [--cache-dir=DIR] [--speech=FILE] [--runs=N] [--jobs=1,10,50]"
          + " [--grid-durations=5m,20m,45m,120m] [--grid-jobs=2,5,10,20] [--grid-job-sec=120]";

  /** Input sizes and repetitions of one run. */
  record Sizes(
      double extractSec, double voskSec, double clipSec, List<Integer> jobs, double memoryShortSec, double memoryLongSec) {
    static Sizes of(boolean quick) {
      return quick
          ? new Sizes(60, 60, 20, List.of(1, 10), 60, 300)
          : new Sizes(600, 300, 20, List.of(1, 10, 50), 300, 2700);
    }
  }

  /** Parsed command line. */
  record Options(
      Set<String> only,
      Path parakeetModel,
      Path out,
      boolean quick,
      Path cacheDir,
      Path speech,
      int runs,
      List<Integer> jobs,
      Path memoryProbe,
      Path workDir,
      int probeJobs,
      GridBench.Plan grid) {

    static Options parse(String[] args) {
      Set<String> only = new LinkedHashSet<>(DEFAULT_SECTIONS);
      Path parakeet = null;
      Path out = Path.of("bench-results.json");
      boolean quick = false;
      Path cache = Path.of(System.getProperty("user.home"), ".cache", "videopipe-bench");
      Path speech = null;
      int runs = 3;
      List<Integer> jobs = null;
      Path probe = null;
      Path work = null;
      int probeJobs = 1;
      List<Double> gridDurations = null;
      List<Integer> gridJobs = null;
      Double gridJobSec = null;
      for (String a : args) {
        String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
        String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
        if (value == null && !name.equals("--quick")) {
          throw new IllegalArgumentException(
              name.startsWith("--") ? name + " needs a value (" + name + "=...)" : "unexpected argument '" + a + "'");
        }
        switch (name) {
          case "--only" -> {
            only = new LinkedHashSet<>();
            for (String s : value.split(",")) {
              String section = s.trim();
              if (!SECTIONS.contains(section)) {
                throw new IllegalArgumentException(
                    "unknown section '" + section + "' in --only; sections: " + String.join(",", SECTIONS));
              }
              only.add(section);
            }
          }
          case "--parakeet-model" -> parakeet = Path.of(value);
          case "--out" -> out = Path.of(value);
          case "--quick" -> quick = true;
          case "--cache-dir" -> cache = Path.of(value);
          case "--speech" -> speech = Path.of(value);
          case "--runs" -> runs = positive(name, value);
          case "--jobs" -> jobs = Arrays.stream(value.split(",")).map(v -> positive(name, v.trim())).toList();
          case "--memory-probe" -> probe = Path.of(value);
          case "--work-dir" -> work = Path.of(value);
          case "--probe-jobs" -> probeJobs = positive(name, value);
          // an empty list leaves that half of the grid out
          case "--grid-durations" ->
              gridDurations =
                  value.isBlank()
                      ? List.of()
                      : Arrays.stream(value.split(",")).map(v -> GridBench.Plan.seconds(name, v.trim())).toList();
          case "--grid-jobs" ->
              gridJobs =
                  value.isBlank() ? List.of() : Arrays.stream(value.split(",")).map(v -> positive(name, v.trim())).toList();
          case "--grid-job-sec" -> gridJobSec = GridBench.Plan.seconds(name, value.trim() + "s");
          default -> throw new IllegalArgumentException("unknown option " + name);
        }
      }
      GridBench.Plan grid = GridBench.Plan.of(quick, gridDurations, gridJobs, gridJobSec);
      return new Options(only, parakeet, out, quick, cache, speech, runs, jobs, probe, work, probeJobs, grid);
    }

    private static int positive(String option, String value) {
      try {
        int n = Integer.parseInt(value);
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(option + " needs positive whole numbers, got '" + value + "'");
    }
  }

  private BenchCommand() {}

  public static int run(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println(USAGE);
      return 2;
    }
    try {
      if (options.memoryProbe() != null) {
        return MemoryProbe.run(options.memoryProbe().toAbsolutePath(), options.workDir(), options.probeJobs());
      }
      return run(options, System.out, System.err);
    } catch (Exception e) {
      System.err.println("bench: " + e);
      return 1;
    }
  }

  static int run(Options options, PrintStream out, PrintStream err) throws IOException {
    Sizes sizes = Sizes.of(options.quick());
    List<Integer> jobs = options.jobs() != null ? options.jobs() : sizes.jobs();
    BenchReport report = new BenchReport(MachineInfo.current(), options.quick(), Instant.now());
    Path work = Files.createTempDirectory("videopipe-bench");
    try {
      FfmpegCli cli = null;
      String cliProblem = null;
      try {
        cli = FfmpegCli.locate(work);
      } catch (IllegalStateException e) {
        cliProblem = e.getMessage();
        err.println("bench: " + cliProblem);
      }
      Path speech = options.speech() != null ? options.speech().toAbsolutePath() : findSample();
      BenchInputs inputs = new BenchInputs(options.cacheDir().toAbsolutePath(), cli, speech);
      Set<String> only = options.only();
      FfmpegCli c = cli;
      String problem = cliProblem;
      if (only.contains("extract")) {
        report.add(section("extract", err, () -> ExtractBench.run(inputs, c, problem, sizes.extractSec(), options.runs(), work)));
      }
      if (only.contains("vosk") || only.contains("parakeet")) {
        Path[] wav = new Path[1];
        if (only.contains("vosk")) {
          report.add(
              section(
                  "vosk",
                  err,
                  () -> {
                    wav[0] = TranscribeBench.speechWav(inputs, sizes.voskSec(), work);
                    return TranscribeBench.vosk(wav[0], sizes.voskSec());
                  }));
        }
        if (only.contains("parakeet")) {
          report.add(
              section(
                  "parakeet",
                  err,
                  () -> {
                    if (options.parakeetModel() == null) {
                      return TranscribeBench.parakeet(null, null, 0, 0);
                    }
                    Path w = wav[0] != null ? wav[0] : TranscribeBench.speechWav(inputs, sizes.voskSec(), work);
                    return TranscribeBench.parakeet(options.parakeetModel(), w, sizes.voskSec(), options.quick() ? 1 : 3);
                  }));
        }
      }
      if (only.contains("pipeline")) {
        report.add(
            section(
                "pipeline",
                err,
                () -> {
                  Path clip = inputs.speechClip(sizes.clipSec());
                  try (ConfigurableApplicationContext ctx =
                      PipelineBench.localRole(work.resolve("pipeline"), inputs.cacheDir())) {
                    return PipelineBench.run(ctx, clip, sizes.clipSec(), jobs);
                  }
                }));
      }
      if (only.contains("memory")) {
        report.add(
            section(
                "memory",
                err,
                () -> MemoryBench.run(inputs, sizes.memoryShortSec(), sizes.memoryLongSec(), work)));
      }
      if (only.contains("render")) {
        report.add(section("render", err, () -> RenderBench.run(c, problem, options.quick(), options.runs(), work)));
      }
      if (only.contains("grid")) {
        report.add(section("grid", err, () -> GridBench.run(inputs, options.grid(), work, err)));
      }
      report.finish(MachineInfo.loadAverage());
      out.print(report.table());
      Path json = options.out().toAbsolutePath();
      if (json.getParent() != null) {
        Files.createDirectories(json.getParent());
      }
      Files.writeString(json, report.json());
      out.println("figures written to " + json);
      return report.sections().stream().anyMatch(s -> s.status() == Section.Status.FAILED) ? 1 : 0;
    } finally {
      deleteTree(work);
    }
  }

  interface SectionRun {
    Section run() throws Exception;
  }

  /** Runs one section; a failure is reported in its place and the other sections still run. */
  static Section section(String name, PrintStream err, SectionRun body) {
    err.println("bench: " + name + " ...");
    double load = MachineInfo.loadAverage();
    long t0 = System.nanoTime();
    Section s;
    try {
      s = body.run();
    } catch (Exception | LinkageError e) {
      s = new Section(name).failed(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    s.detail("sectionSec", (System.nanoTime() - t0) / 1e9);
    s.detail("loadAverageBefore", BenchReport.finite(load));
    s.detail("loadAverageAfter", BenchReport.finite(MachineInfo.loadAverage()));
    err.printf("bench: %s %s in %.1f s%n", name, s.status().name().toLowerCase(java.util.Locale.ROOT),
        (System.nanoTime() - t0) / 1e9);
    return s;
  }

  /** samples/talk.mp4 of the repository, looked up from the working directory and its parents. */
  static Path findSample() {
    Path dir = Path.of("").toAbsolutePath();
    for (int i = 0; i < 3 && dir != null; i++, dir = dir.getParent()) {
      Path p = dir.resolve("samples").resolve("talk.mp4");
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: the OS cleans it eventually
    }
  }
}

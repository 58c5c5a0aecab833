package io.videopipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.temporal.client.WorkflowClient;
import io.videopipe.VideoPipeApplication;
import io.videopipe.clip.ClipOptions;
import io.videopipe.jobs.JobConflictException;
import io.videopipe.jobs.JobService;
import io.videopipe.jobs.JobSubmission;
import io.videopipe.pipeline.JobPaths;
import io.videopipe.pipeline.JobRequest;
import io.videopipe.pipeline.JobResult;
import io.videopipe.pipeline.JobStatus;
import io.videopipe.pipeline.Progress;
import io.videopipe.pipeline.VideoPipelineWorkflow;
import io.videopipe.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code process <path-or-url>}: runs one job on the embedded defaults (in-process Temporal, both workers, local
 * storage), shows progress on stderr, copies the artifacts to {@code --out} and prints a JSON summary on stdout.
 *
 * <p>Exit codes: 0 completed, 1 failed, 2 bad usage, 3 completed but QA failed (needs review), 4 cancelled.
 */
public final class ProcessCommand {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Parsed command line. */
  record Options(
      String source,
      String engine,
      Path out,
      String jobId,
      Integer priority,
      boolean keepSource,
      Double budgetUsd,
      ClipOptions clips,
      String audioTrack,
      Integer maxHighlights,
      List<String> springArgs) {

    static Options parse(String[] args) {
      String source = null;
      String engine = "auto";
      Path out = null;
      String jobId = null;
      Integer priority = null;
      boolean keepSource = false;
      Double budgetUsd = null;
      double targetLufs = ClipOptions.DEFAULT_TARGET_LUFS;
      boolean vertical = false;
      String aspect = null;
      List<String> aspects = null;
      boolean captions = false;
      boolean highlightWord = false;
      String audioTrack = null;
      Integer maxHighlights = null;
      List<String> spring = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--engine" -> engine = value(args, ++i, a);
          case "--out" -> out = Path.of(value(args, ++i, a));
          case "--job-id" -> jobId = value(args, ++i, a);
          case "--priority" -> priority = Integer.parseInt(value(args, ++i, a));
          case "--keep-source" -> keepSource = true;
          case "--budget" -> budgetUsd = budget(value(args, ++i, a));
          case "--target-lufs" -> targetLufs = number(value(args, ++i, a), a);
          case "--vertical" -> vertical = true;
          case "--square" -> aspect = ClipOptions.SQUARE;
          case "--aspect" -> aspect = value(args, ++i, a);
          case "--aspects" -> aspects = List.of(value(args, ++i, a).split(",", -1));
          case "--captions" -> captions = true;
          case "--audio-track" -> audioTrack = value(args, ++i, a);
          case "--max-highlights" -> maxHighlights = whole(value(args, ++i, a), a);
          case "--highlight-word" -> {
            captions = true;
            highlightWord = true;
          }
          default -> {
            if (a.startsWith("--") && a.contains("=")) {
              spring.add(a);
            } else if (a.startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + a);
            } else if (source == null) {
              source = a;
            } else {
              throw new IllegalArgumentException("only one source per run, got '" + source + "' and '" + a + "'");
            }
          }
        }
      }
      if (source == null) {
        throw new IllegalArgumentException("a source path or URL is required");
      }
      ClipOptions clips =
          new ClipOptions(targetLufs, ClipOptions.DEFAULT_MAX_TRUE_PEAK_DBTP, vertical, captions, aspect, highlightWord,
              aspects);
      return new Options(
          source, engine, out, jobId, priority, keepSource, budgetUsd, clips, audioTrack, maxHighlights, spring);
    }

    private static double number(String value, String option) {
      try {
        return Double.parseDouble(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " needs a number, got '" + value + "'");
      }
    }

    private static int whole(String value, String option) {
      try {
        return Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " needs a whole number, got '" + value + "'");
      }
    }

    private static Double budget(String value) {
      double usd;
      try {
        usd = Double.parseDouble(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--budget needs an amount in US dollars, got '" + value + "'");
      }
      try {
        return JobRequest.requireBudget(usd);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--budget must be a positive amount in US dollars, got '" + value + "'");
      }
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }
  }

  private ProcessCommand() {}

  /** The default highlight lengths with the count asked for; its limits are checked where the job is built. */
  private static io.videopipe.highlight.HighlightOptions highlights(Integer maxCount) {
    if (maxCount == null) {
      return null;
    }
    io.videopipe.highlight.HighlightOptions d = io.videopipe.highlight.HighlightOptions.defaults();
    return new io.videopipe.highlight.HighlightOptions(maxCount, d.minSec(), d.maxSec());
  }

  public static int run(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("process: " + e.getMessage());
      System.err.println("usage: videopipe.jar process <path-or-url> [--engine auto|local|parakeet|deepgram|hybrid]"
          + " [--out DIR] [--priority 1..5] [--budget USD] [--target-lufs -14] [--vertical | --square | --aspect source|9:16|1:1]"
          + " [--aspects source,9:16,1:1]"
          + " [--captions] [--highlight-word] [--audio-track INDEX|LANG] [--max-highlights 0.."
          + io.videopipe.highlight.HighlightOptions.MAX_COUNT + "]");
      return 2;
    }
    try (ConfigurableApplicationContext ctx =
        VideoPipeApplication.processApplication().run(springArgs(options).toArray(String[]::new))) {
      return run(options, ctx, System.out, System.err);
    }
  }

  static int run(Options options, ConfigurableApplicationContext ctx, PrintStream stdout, PrintStream stderr) {
    JobService jobs = ctx.getBean(JobService.class);
    WorkflowClient client = ctx.getBean(WorkflowClient.class);
    Storage storage = ctx.getBean(Storage.class);
    String jobId;
    try {
      jobId =
          jobs.start(
              JobSubmission.builder(sourceArgument(options.source()))
                  .jobId(options.jobId())
                  .engine(options.engine())
                  .priority(options.priority())
                  .highlights(highlights(options.maxHighlights()))
                  .keepSource(options.keepSource())
                  .budgetUsd(options.budgetUsd())
                  .clips(options.clips())
                  .audioTrack(options.audioTrack())
                  .build(),
              "cli:" + System.getProperty("user.name", "unknown"));
    } catch (IllegalArgumentException | JobConflictException e) {
      stderr.println("process: " + e.getMessage());
      return 2;
    }
    stderr.println("job " + jobId + ": " + options.source());
    ProgressBar bar = new ProgressBar(stderr, System.console() != null);
    VideoPipelineWorkflow workflow = client.newWorkflowStub(VideoPipelineWorkflow.class, jobId);
    Thread watcher =
        new Thread(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      Progress p = workflow.progress();
                      bar.show(p);
                      if (p.status() != JobStatus.RUNNING) {
                        return;
                      }
                      Thread.sleep(250);
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      // the query fails once the workflow has closed; the result tells the rest
                      return;
                    }
                  }
                },
            "progress");
    watcher.setDaemon(true);
    watcher.start();
    JobResult result = jobs.awaitResult(jobId);
    watcher.interrupt();
    bar.finish(result.status().name());

    Map<String, String> artifacts = null;
    Map<String, String> files = null;
    String fullText = null;
    String artifactsDir = null;
    if (result.status() == JobStatus.COMPLETED || result.status() == JobStatus.NEEDS_REVIEW) {
      try {
        URI prefix = storage.root().resolve(JobPaths.jobPrefix(jobId));
        Path outDir = options.out();
        if (outDir == null && "file".equals(prefix.getScheme())) {
          outDir = Path.of(prefix);
        } else if (outDir == null) {
          outDir = Path.of("data", "jobs", jobId);
        }
        Map<URI, Path> copied = export(storage, prefix, outDir);
        artifactsDir = outDir.toAbsolutePath().normalize().toString();
        artifacts = new LinkedHashMap<>();
        Map<String, Path> byPath = new LinkedHashMap<>();
        copied.forEach((uri, path) -> byPath.put(uri.getPath(), path));
        for (var e : result.transcription().artifacts().entrySet()) {
          Path p = byPath.get(URI.create(e.getValue()).getPath());
          artifacts.put(e.getKey(), p == null ? e.getValue() : p.toString());
        }
        files = new LinkedHashMap<>();
        for (var e : result.artifacts().entrySet()) {
          Path p = byPath.get(URI.create(e.getValue()).getPath());
          files.put(e.getKey(), p == null ? e.getValue() : p.toString());
        }
        String txt = result.transcription().artifacts().get("txt");
        if (txt != null) {
          try (InputStream in = storage.openRead(URI.create(txt))) {
            fullText = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
          }
        }
      } catch (IOException e) {
        stderr.println("process: could not export artifacts: " + e.getMessage());
      }
    }
    try {
      stdout.println(JSON.writeValueAsString(ProcessOutput.of(result, fullText, artifacts, artifactsDir, files)));
    } catch (IOException e) {
      stderr.println("process: cannot write the summary: " + e.getMessage());
      return 1;
    }
    return switch (result.status()) {
      case COMPLETED -> 0;
      case NEEDS_REVIEW -> 3;
      case CANCELLED -> 4;
      default -> 1;
    };
  }

  /**
   * Naming a local file on the command line is consent to read it: its directory joins the allowed local roots
   * (beside the working directory), unless the roots are set explicitly.
   */
  static List<String> springArgs(Options options) {
    List<String> args = new ArrayList<>(options.springArgs());
    boolean rootsGiven =
        args.stream().anyMatch(a -> a.startsWith("--videopipe.download.local-roots="))
            || System.getenv("VIDEOPIPE_LOCAL_ROOTS") != null;
    String source = sourceArgument(options.source());
    if (!rootsGiven && source.startsWith("/")) {
      Path parent = Path.of(source).getParent();
      if (parent != null) {
        args.add("--videopipe.download.local-roots=.," + parent);
      }
    }
    return args;
  }

  /** Plain local paths become absolute so the job's source names the file unambiguously. */
  static String sourceArgument(String source) {
    if (source.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") && !source.matches("^[A-Za-z]:\\\\.*")) {
      return source;
    }
    return Path.of(source).toAbsolutePath().normalize().toString();
  }

  /** Copies every artifact of the job to {@code outDir}, keeping the layout; a no-op where they already are. */
  static Map<URI, Path> export(Storage storage, URI prefix, Path outDir) throws IOException {
    Map<URI, Path> copied = new LinkedHashMap<>();
    // Compare paths, not URI strings: file:/x and file:///x name the same object.
    String base = prefix.getPath();
    for (URI uri : storage.list(prefix)) {
      Path target = outDir.resolve(uri.getPath().substring(base.length())).toAbsolutePath().normalize();
      if ("file".equals(uri.getScheme()) && Path.of(uri).toAbsolutePath().normalize().equals(target)) {
        copied.put(uri, target);
        continue;
      }
      Files.createDirectories(target.getParent());
      try (InputStream in = storage.openRead(uri)) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      copied.put(uri, target);
    }
    return copied;
  }
}

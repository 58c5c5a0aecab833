package io.videopipe.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videopipe.client.ApiClient;
import io.videopipe.client.ApiException;
import io.videopipe.client.api.JobControllerApi;
import io.videopipe.client.model.JobPage;
import io.videopipe.client.model.JobSubmission;
import io.videopipe.client.model.JobSummary;
import io.videopipe.client.model.JobView;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The remote CLI: {@code submit}, {@code status [--watch]}, {@code list}, {@code cancel} and {@code download} against
 * a running service, through the generated client (plus plain HTTP for what OpenAPI cannot describe: the upload
 * body, the event stream and binary artifacts). Exit codes: 0 done, 1 failed, 2 bad usage.
 */
public final class RemoteCli {
  static final String USAGE =
      """
      usage: videopipe-remote [--url URL] [--key KEY] <command> ...
        submit <https-url|gs-url|local-file> [--engine auto|local|parakeet|deepgram|hybrid] [--priority 1-5] [--budget USD]
        status <jobId> [--watch]     progress; --watch follows the job's event stream until it ends
        list [--status S] [--engine E]
        cancel <jobId> [--reason TEXT]
        download <jobId> [--out DIR] transcript, reports and clips of an ended job
      URL defaults to $VIDEOPIPE_URL or http://localhost:8080, KEY to $VIDEOPIPE_API_KEY.
      """;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;
  private final PrintStream err;
  private String baseUrl;
  private String key;
  private HttpClient http;
  private JobControllerApi jobs;

  public RemoteCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new RemoteCli(System.out, System.err).run(args));
  }

  public int run(String... argv) {
    Deque<String> args = new ArrayDeque<>(List.of(argv));
    baseUrl = env("VIDEOPIPE_URL", "http://localhost:8080");
    key = env("VIDEOPIPE_API_KEY", null);
    while (!args.isEmpty() && args.peek().startsWith("--")) {
      String opt = args.pop();
      String value = args.poll();
      if (value == null) {
        return usage(opt + " needs a value");
      }
      switch (opt) {
        case "--url" -> baseUrl = value;
        case "--key" -> key = value;
        default -> {
          return usage("unknown option " + opt);
        }
      }
    }
    if (args.isEmpty()) {
      return usage("no command");
    }
    if (key == null || key.isBlank()) {
      return usage("no API key: pass --key or set VIDEOPIPE_API_KEY");
    }
    baseUrl = baseUrl.replaceAll("/+$", "");
    http = HttpClient.newHttpClient();
    ApiClient client = new ApiClient();
    client.updateBaseUri(baseUrl);
    client.setRequestInterceptor(b -> b.header("X-API-Key", key));
    jobs = new JobControllerApi(client);
    String command = args.pop();
    try {
      return switch (command) {
        case "submit" -> submit(args);
        case "status" -> status(args);
        case "list" -> list(args);
        case "cancel" -> cancel(args);
        case "download" -> download(args);
        default -> usage("unknown command " + command);
      };
    } catch (UsageException e) {
      return usage(e.getMessage());
    } catch (ApiException e) {
      err.println("error: HTTP " + e.getCode() + ": " + detail(e.getResponseBody()));
      return 1;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private int submit(Deque<String> args) throws ApiException, IOException, InterruptedException {
    String source = required(args, "submit needs a source URL or file");
    Map<String, String> opts = options(args, "--engine", "--priority", "--budget");
    Path file = Path.of(source);
    if (!source.contains("://") && Files.isRegularFile(file)) {
      source = upload(file);
      err.println("uploaded " + file.getFileName() + " (" + Files.size(file) + " bytes)");
    }
    JobSubmission s = new JobSubmission().sourceUrl(source).engine(opts.get("--engine"));
    if (opts.containsKey("--priority")) {
      s.priority(integer(opts.get("--priority"), "--priority"));
    }
    if (opts.containsKey("--budget")) {
      s.budgetUsd(number(opts.get("--budget"), "--budget"));
    }
    Map<String, Object> started = jobs.submitJob(s, null);
    out.println(started.get("jobId"));
    return 0;
  }

  /** Streams the file as the body of POST /api/v1/uploads and answers the sourceUrl to submit. */
  private String upload(Path file) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(baseUrl + "/api/v1/uploads?filename="
                    + URLEncoder.encode(file.getFileName().toString(), StandardCharsets.UTF_8)))
            .header("X-API-Key", key)
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofFile(file))
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IOException("upload refused: HTTP " + r.statusCode() + ": " + detail(r.body()));
    }
    return JSON.readTree(r.body()).path("sourceUrl").asText();
  }

  private int status(Deque<String> args) throws ApiException, IOException, InterruptedException {
    String jobId = required(args, "status needs a job id");
    boolean watch = args.remove("--watch");
    if (!watch) {
      JobView v = jobs.getJob(jobId);
      out.println(line(v.getStatus().getValue(), v.getStep(), v.getPercent(), v.getDetail()));
      return exitOf(v.getStatus().getValue());
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/jobs/" + encode(jobId) + "/events"))
            .header("X-API-Key", key)
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      throw new IOException("HTTP " + r.statusCode() + ": " + detail(new String(r.body().readAllBytes(), StandardCharsets.UTF_8)));
    }
    String status = "RUNNING";
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String event = null;
      StringBuilder data = new StringBuilder();
      for (String l; (l = in.readLine()) != null; ) {
        if (l.startsWith("event:")) {
          event = l.substring(6).trim();
        } else if (l.startsWith("data:")) {
          data.append(l.substring(5));
        } else if (l.isEmpty() && event != null) {
          JsonNode e = JSON.readTree(data.toString());
          if (event.equals("progress")) {
            out.println(line(e.path("status").asText(), e.path("step").asText(null), e.path("percent").asInt(),
                e.path("detail").asText(null)));
          } else if (event.equals("result")) {
            status = e.path("status").asText();
            JsonNode error = e.path("error");
            out.println(status + (error.isMissingNode() ? "" : ": " + error.path("message").asText()));
          }
          event = null;
          data.setLength(0);
        }
      }
    }
    return exitOf(status);
  }

  private int list(Deque<String> args) throws ApiException {
    Map<String, String> opts = options(args, "--status", "--engine");
    JobPage page = jobs.listJobs(opts.get("--status"), opts.get("--engine"), null, null, 100, null);
    for (JobSummary j : page.getJobs()) {
      out.printf(Locale.ROOT, "%-40s %-12s %-14s %-18s %s%n", j.getJobId(), j.getStatus().getValue(),
          j.getStep() == null ? "" : j.getStep(), j.getEngine() == null ? "" : j.getEngine(),
          j.getSource() == null ? "" : j.getSource());
    }
    if (Boolean.TRUE.equals(page.getDegraded())) {
      err.println("note: " + page.getReason());
    }
    return 0;
  }

  private int cancel(Deque<String> args) throws ApiException {
    String jobId = required(args, "cancel needs a job id");
    Map<String, String> opts = options(args, "--reason");
    jobs.cancelJob(jobId, Map.of("reason", opts.getOrDefault("--reason", "cancelled from videopipe-remote")));
    out.println("cancel requested for " + jobId);
    return 0;
  }

  private int download(Deque<String> args) throws ApiException, IOException, InterruptedException {
    String jobId = required(args, "download needs a job id");
    Map<String, String> opts = options(args, "--out");
    Path dir = Path.of(opts.getOrDefault("--out", jobId));
    JobView v = jobs.getJob(jobId);
    if ("RUNNING".equals(v.getStatus().getValue())) {
      err.println("error: job " + jobId + " is still running (" + v.getPercent() + "%); download once it has ended");
      return 1;
    }
    Files.createDirectories(dir);
    Map<String, String> files = new LinkedHashMap<>();
    for (String f : List.of("json", "srt", "vtt", "txt")) {
      files.put("transcript." + f, "/transcript?format=" + f);
    }
    files.put("highlights.json", "/highlights");
    files.put("qa.json", "/qa");
    files.put("cost.json", "/cost");
    int clips = v.getResult() == null || v.getResult().getClips() == null ? 0 : v.getResult().getClips().size();
    for (int i = 1; i <= clips; i++) {
      int rank = v.getResult().getClips().get(i - 1).getRank();
      files.put(String.format(Locale.ROOT, "clip-%02d.mp4", rank), "/clips/" + rank + ".mp4");
      files.put(String.format(Locale.ROOT, "clip-%02d.vtt", rank), "/clips/" + rank + ".vtt");
    }
    int saved = 0;
    for (Map.Entry<String, String> f : files.entrySet()) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/jobs/" + encode(jobId) + f.getValue()))
              .header("X-API-Key", key).GET().build();
      HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = r.body()) {
        if (r.statusCode() == 200) {
          Files.copy(body, dir.resolve(f.getKey()), StandardCopyOption.REPLACE_EXISTING);
          out.println(dir.resolve(f.getKey()));
          saved++;
        } else {
          err.println("skipped " + f.getKey() + ": HTTP " + r.statusCode() + ": "
              + detail(new String(body.readAllBytes(), StandardCharsets.UTF_8)));
        }
      }
    }
    return saved > 0 ? 0 : 1;
  }

  /** One progress line: a 30-character bar, the percent, step and detail. */
  static String line(String status, String step, int percent, String detail) {
    int filled = Math.max(0, Math.min(30, percent * 30 / 100));
    return "[" + "#".repeat(filled) + " ".repeat(30 - filled) + "] " + String.format(Locale.ROOT, "%3d%%", percent)
        + " " + status + (step == null ? "" : " " + step.toLowerCase(Locale.ROOT).replace('_', ' '))
        + (detail == null ? "" : " - " + detail);
  }

  private static int exitOf(String status) {
    return switch (status) {
      case "COMPLETED", "NEEDS_REVIEW", "RUNNING" -> 0;
      default -> 1;
    };
  }

  private int usage(String why) {
    err.println("error: " + why);
    err.print(USAGE);
    return 2;
  }

  private static String required(Deque<String> args, String message) {
    String v = args.poll();
    if (v == null || v.startsWith("--")) {
      throw new UsageException(message);
    }
    return v;
  }

  private static Map<String, String> options(Deque<String> args, String... allowed) {
    Map<String, String> opts = new LinkedHashMap<>();
    while (!args.isEmpty()) {
      String opt = args.pop();
      if (!List.of(allowed).contains(opt)) {
        throw new UsageException("unknown option " + opt + " (allowed: " + String.join(", ", allowed) + ")");
      }
      String value = args.poll();
      if (value == null) {
        throw new UsageException(opt + " needs a value");
      }
      opts.put(opt, value);
    }
    return opts;
  }

  private static int integer(String v, String name) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new UsageException(name + " must be a whole number, was " + v);
    }
  }

  private static double number(String v, String name) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new UsageException(name + " must be a number, was " + v);
    }
  }

  private static String detail(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n.hasNonNull("detail") ? n.get("detail").asText() : body;
    } catch (IOException | RuntimeException e) {
      return body;
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}

package io.videopipe.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.videopipe.realserver.TemporalCliServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Crash survival on a real Temporal server, short enough for every {@code mvn verify}: three jobs on the CLI dev
 * server (SQLite), two on the local engine and one on Parakeet (the gpu-worker runs the synthetic model on ONNX
 * Runtime's CPU provider). The gpu-worker is killed with SIGKILL while its Transcribe attempt runs and restarted, the
 * cpu-worker likewise once while a job transcribes, then the Temporal server itself is killed with SIGKILL and
 * restarted on the same SQLite file. Each job must complete exactly once (one execution of its id, one start in its
 * history) with exactly its expected artifacts, and no file may be left in the work directory or half-written in
 * storage. The long, random version is {@link WorkerKillTest} ({@code -Pfault}).
 */
@Tag("packaged")
class RealServerKillTest {
  @RegisterExtension static final TemporalCliServer TEMPORAL = new TemporalCliServer();

  static final Path SAMPLE = Path.of("..", "samples", "talk.mp4").toAbsolutePath().normalize();
  static final List<String> JOBS = List.of("crash-1", "crash-2", "crash-gpu");
  static final String GPU_JOB = "crash-gpu";
  static Path dir;
  static Path storage;
  static Path work;
  static RoleProcess cpuWorker;
  static RoleProcess gpuWorker;
  static RoleProcess api;
  static JobsClient client;
  static final ObjectNode report = JobsClient.JSON.createObjectNode();

  @BeforeAll
  static void startRoles() throws Exception {
    dir = Files.createTempDirectory(Path.of("target"), "real-server-kill-").toAbsolutePath();
    storage = dir.resolve("data");
    work = dir.resolve("work");
    int apiPort = RoleProcess.freePort();
    String address = "--videopipe.temporal.address=" + TEMPORAL.target();
    Path logs = dir.resolve("logs");
    cpuWorker = new RoleProcess("cpu-worker", logs, Map.of(), "768m", address, "--videopipe.storage.root=" + storage,
        "--videopipe.storage.work-dir=" + work, "--server.port=0", "--videopipe.download.allow-local-files=true",
        "--videopipe.download.local-roots=" + SAMPLE.getParent(),
        // a killed worker's steps move on after 8 s instead of the default 15 s, to keep the suite inside its budget
        "--videopipe.workers.heartbeat-timeout=8s").start();
    gpuWorker = GpuWorkerKill.start(dir, logs, address, "--videopipe.storage.root=" + storage,
        "--videopipe.storage.work-dir=" + work);
    api = new RoleProcess("api", logs, Map.of(), "384m", address, "--videopipe.storage.root=" + storage,
        "--server.port=" + apiPort).start();
    cpuWorker.awaitStarted(Duration.ofMinutes(5));
    gpuWorker.awaitStarted(Duration.ofMinutes(5));
    api.awaitStarted(Duration.ofMinutes(5));
    client = new JobsClient(apiPort);
  }

  @AfterAll
  static void stopRoles() throws Exception {
    for (RoleProcess r : new RoleProcess[] {api, cpuWorker, gpuWorker}) {
      if (r != null) {
        r.close();
      }
    }
    Path out = Path.of("target", "fault-report", "real-server-kill.json");
    Files.createDirectories(out.getParent());
    JobsClient.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
    System.out.println("fault report " + out.toAbsolutePath() + "\n" + report.toPrettyString());
  }

  @Test
  void jobsCompleteOnceThroughAWorkerKillAndAServerKill() throws Exception {
    long start = System.nanoTime();
    for (String id : JOBS) {
      var r = client.submit(id, SAMPLE.toString(), id.equals(GPU_JOB) ? "parakeet" : "local");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }
    // the gpu-worker dies while its Transcribe attempt runs (not merely queued: the server has handed it out)
    report.put("gpuWorkerKilledDuring", GpuWorkerKill.awaitTranscribing(TEMPORAL, gpuWorker, List.of(GPU_JOB), Duration.ofMinutes(3)));
    gpuWorker.kill9();
    gpuWorker.start();
    // the worker dies while a job transcribes
    report.put("workerKilledDuring", awaitRunning(List.of("crash-1", "crash-2"), s -> s.equals("TRANSCRIBE")));
    cpuWorker.kill9();
    cpuWorker.start();
    cpuWorker.awaitStarted(Duration.ofMinutes(5));
    gpuWorker.awaitStarted(Duration.ofMinutes(5));
    // then the server, while a job is still running (its state is only what reached SQLite)
    report.put("serverKilledDuring", awaitRunning(JOBS, s -> !s.isEmpty()));
    TEMPORAL.kill();
    Thread.sleep(2000);
    TEMPORAL.restart();

    Map<String, JsonNode> done = client.awaitTerminal(JOBS, Duration.ofMinutes(10));
    report.put("seconds", (System.nanoTime() - start) / 1_000_000_000L);
    List<String> problems = new ArrayList<>();
    for (String id : JOBS) {
      JsonNode j = done.get(id);
      String status = JobsClient.status(j);
      report.put(id, status);
      if (id.equals(GPU_JOB)) {
        report.put(id + "Engine", j == null ? null : j.path("result").path("transcription").path("engine").asText());
        report.putPOJO(id + "Fallbacks", j == null ? null : j.path("result").path("transcription").path("fallbacks"));
      }
      // The synthetic model's transcript is the same three words per speech segment: QA may flag it for review.
      if (!"COMPLETED".equals(status) && !(id.equals(GPU_JOB) && "NEEDS_REVIEW".equals(status))) {
        problems.add(id + " ended " + status + ": " + (j == null ? "no answer" : j.path("error")));
        continue;
      }
      long executions = TEMPORAL.stubs().blockingStub().countWorkflowExecutions(CountWorkflowExecutionsRequest
          .newBuilder().setNamespace(TEMPORAL.namespace()).setQuery("WorkflowId = '" + id + "'").build()).getCount();
      long starts = TEMPORAL.client().fetchHistory(id).getEvents().stream()
          .filter(e -> e.hasWorkflowExecutionStartedEventAttributes()).count();
      if (executions != 1 || starts != 1) {
        problems.add(id + ": " + executions + " executions, " + starts + " starts");
      }
      Path jobDir = storage.resolve("jobs").resolve(id);
      List<String> files = JobArtifactsCheck.files(jobDir);
      if (!files.equals(JobArtifactsCheck.expected(jobDir))) {
        problems.add(id + " files " + files + ", expected " + JobArtifactsCheck.expected(jobDir));
      }
    }
    List<String> leftovers = new ArrayList<>(regularFiles(work, p -> true));
    leftovers.addAll(regularFiles(storage, p -> p.getFileName().toString().contains(".tmp-")));
    report.putPOJO("leftovers", leftovers);
    report.putPOJO("problems", problems);
    assertThat(problems).isEmpty();
    assertThat(leftovers).as("files left in the work directory or half-written in storage").isEmpty();
  }

  /** Waits until a job runs a step that {@code step} accepts; answers "job:step". */
  static String awaitRunning(List<String> jobs, Predicate<String> step) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      for (String id : jobs) {
        JsonNode j = client.job(id);
        if (j != null && "RUNNING".equals(j.path("status").asText()) && step.test(j.path("step").asText(""))) {
          return id + ":" + j.path("step").asText();
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no job reached the step in time: " + client.job(JOBS.get(0)));
  }

  static List<String> regularFiles(Path root, Predicate<Path> filter) throws Exception {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).filter(filter).map(p -> root.relativize(p).toString()).toList();
    }
  }
}

package io.videopipe.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.videopipe.audio.MediaFixtures;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 100 jobs in a burst through the REST API of the local role, run as its own JVM from the packaged jar with a 512 MB
 * heap. Each submission is accepted (202) or refused with 429; every accepted job reaches a terminal state; the heap,
 * sampled through actuator metrics, stays under its limit; the role logs no ERROR line. The figures go to
 * target/fault-report/burst-load.json.
 */
@Tag("fault")
class BurstLoadTest {
  static final int JOBS = Integer.getInteger("fault.load.jobs", 100);

  @Test
  void hundredJobsInABurst() throws Exception {
    Path dir = Path.of("target", "fault-work", "burst-load").toAbsolutePath();
    Files.createDirectories(dir);
    Path input = MediaFixtures.mp4H264Aac(Files.createDirectories(dir.resolve("input")), 2);
    int port = RoleProcess.freePort();
    ObjectNode report = JobsClient.JSON.createObjectNode().put("jobs", JOBS).put("input", input.getFileName().toString());
    try (RoleProcess local = new RoleProcess("local", dir.resolve("logs"), Map.of(), "512m",
        "--server.port=" + port, "--videopipe.storage.root=" + dir.resolve("data"),
        "--videopipe.storage.work-dir=" + dir.resolve("work"),
        "--videopipe.download.local-roots=" + input.getParent()).start()) {
      local.awaitStarted(Duration.ofMinutes(3));
      JobsClient client = new JobsClient(port);

      AtomicLong maxHeap = new AtomicLong();
      AtomicLong heapLimit = new AtomicLong();
      AtomicBoolean sampling = new AtomicBoolean(true);
      Thread sampler = new Thread(() -> {
        while (sampling.get()) {
          maxHeap.accumulateAndGet(metric(client, "jvm.memory.used"), Math::max);
          heapLimit.compareAndSet(0, metric(client, "jvm.memory.max"));
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      sampler.setDaemon(true);
      sampler.start();

      long start = System.nanoTime();
      Map<Integer, Integer> codes = new TreeMap<>();
      List<String> accepted = new ArrayList<>();
      Map<String, Integer> byJob = new ConcurrentHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(25);
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        String id = String.format("load-%03d", i);
        sent.add(pool.submit(() -> {
          byJob.put(id, client.submit(id, input.toString(), "local").statusCode());
          return null;
        }));
      }
      for (Future<?> f : sent) {
        f.get();
      }
      pool.shutdown();
      long submitMs = (System.nanoTime() - start) / 1_000_000;
      byJob.forEach((id, code) -> {
        codes.merge(code, 1, Integer::sum);
        if (code == 202) {
          accepted.add(id);
        }
      });
      Map<String, JsonNode> done = client.awaitTerminal(accepted, Duration.ofMinutes(12));
      long totalMs = (System.nanoTime() - start) / 1_000_000;
      sampling.set(false);
      sampler.join(5000);

      Map<String, Integer> outcomes = new TreeMap<>();
      List<String> lost = new ArrayList<>();
      for (String id : accepted) {
        String status = JobsClient.status(done.get(id));
        outcomes.merge(status, 1, Integer::sum);
        if (!JobsClient.TERMINAL.contains(status)) {
          lost.add(id + ":" + status);
        }
      }
      List<String> errors = local.errorLines();
      report.putPOJO("httpCodes", codes).put("accepted", accepted.size()).putPOJO("outcomes", outcomes)
          .putPOJO("notTerminal", lost).put("submitMs", submitMs).put("allTerminalMs", totalMs)
          .put("maxHeapUsedMb", maxHeap.get() / (1024 * 1024)).put("heapMaxMb", heapLimit.get() / (1024 * 1024))
          .put("roleAlive", local.alive()).putPOJO("errorLines", errors);
      Path out = Path.of("target", "fault-report", "burst-load.json");
      Files.createDirectories(out.getParent());
      JobsClient.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
      System.out.println("burst load report " + out.toAbsolutePath() + "\n" + report.toPrettyString());

      assertThat(codes.keySet()).as("only accepted or rate limited").isSubsetOf(202, 429);
      assertThat(accepted).as("some jobs accepted").isNotEmpty();
      assertThat(lost).as("every accepted job ends").isEmpty();
      assertThat(outcomes.keySet()).as("no job fails or is cancelled").isSubsetOf("COMPLETED", "NEEDS_REVIEW");
      assertThat(local.alive()).as("the role survived").isTrue();
      assertThat(maxHeap.get()).as("heap sampled").isPositive();
      assertThat(maxHeap.get()).isLessThan(heapLimit.get());
      assertThat(errors).as("ERROR lines in " + local.log()).isEmpty();
    }
  }

  /** A value of an actuator metric (heap area), or 0 when it cannot be read. */
  static long metric(JobsClient client, String name) {
    try {
      HttpResponse<String> r = client.http.send(
          HttpRequest.newBuilder(URI.create(client.base + "/actuator/metrics/" + name + "?tag=area:heap"))
              .header("X-API-Key", RoleProcess.apiKey()).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return 0;
      }
      return JobsClient.JSON.readTree(r.body()).path("measurements").path(0).path("value").asLong();
    } catch (Exception e) {
      return 0;
    }
  }
}

package io.videopipe.bench;

import io.temporal.client.WorkflowClient;
import io.videopipe.VideoPipeApplication;
import io.videopipe.jobs.JobService;
import io.videopipe.jobs.JobSubmission;
import io.videopipe.pipeline.JobResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * N jobs submitted at once to the real local role (embedded Temporal server, both workers, local storage) on a short
 * speech clip: throughput, latency as the client sees it, and orchestration overhead from each workflow's history.
 */
final class PipelineBench {
  private PipelineBench() {}

  /** The local role without HTTP, storage under {@code dir}, allowed to read the generated inputs. */
  static ConfigurableApplicationContext localRole(Path dir, Path inputsDir) {
    return VideoPipeApplication.processApplication()
        .run(
            "--videopipe.storage.root=" + dir.resolve("data"),
            "--videopipe.storage.work-dir=" + dir.resolve("work"),
            "--videopipe.download.local-roots=" + inputsDir.toAbsolutePath().normalize());
  }

  static Section run(ConfigurableApplicationContext ctx, Path clip, double clipSec, List<Integer> batches)
      throws Exception {
    Section s = new Section("pipeline");
    s.detail("clip", clip.toString()).detail("clipSec", clipSec);
    JobService jobs = ctx.getBean(JobService.class);
    WorkflowClient client = ctx.getBean(WorkflowClient.class);
    String runId = Long.toString(System.currentTimeMillis(), 36);
    // Warm-up: model load, JIT and the first workflow task are not what the figures are about.
    Batch warm = batch(jobs, client, clip, "bench-" + runId + "-warmup", 1);
    s.detail("warmUpSec", warm.latencies().get(0));
    Map<String, Object> all = new LinkedHashMap<>();
    for (int n : batches) {
      Batch b = batch(jobs, client, clip, "bench-" + runId + "-n" + n, n);
      String k = "n" + n;
      String l = "N=" + n + ": ";
      s.figure(k + "JobsPerMin", l + "jobs per minute", n / b.spanSec() * 60, "jobs/min");
      s.figure(k + "LatencyP50", l + "job latency p50", Stats.percentile(b.latencies(), 50), "s");
      s.figure(k + "LatencyP95", l + "job latency p95", Stats.percentile(b.latencies(), 95), "s");
      s.figure(k + "OverheadP50", l + "orchestration overhead p50", Stats.percentile(b.overheads(), 50), "s");
      s.figure(k + "OverheadP95", l + "orchestration overhead p95", Stats.percentile(b.overheads(), 95), "s");
      List<Double> own = new ArrayList<>();
      for (int i = 0; i < b.overheads().size(); i++) {
        own.add(b.overheads().get(i) - b.queueWaits().get(i));
      }
      s.figure(k + "OverheadNoWaitP50", l + "overhead less slot waits p50", Stats.percentile(own, 50), "s");
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("spanSec", b.spanSec());
      d.put("statuses", b.statuses());
      d.put("latencySec", b.latencies());
      d.put("overheadSec", b.overheads());
      d.put("queueWaitP50Sec", Stats.percentile(b.queueWaits(), 50));
      d.put("queueWaitP95Sec", Stats.percentile(b.queueWaits(), 95));
      d.put("activitySecP50", Stats.percentile(b.activitySec(), 50));
      all.put(k, d);
      if (b.statuses().size() != 1 || !b.statuses().containsKey("COMPLETED")) {
        s.note(l + "job statuses " + b.statuses());
      }
    }
    s.detail("batches", all);
    s.note(
        "overhead = workflow wall time minus the time at least one activity ran (ActivityTaskStarted to its close"
            + " in the history); it includes waiting for a free activity slot (ActivityTaskScheduled to Started), which the"
            + " 'less slot waits' figure takes out");
    return s;
  }

  record Batch(
      double spanSec,
      List<Double> latencies,
      List<Double> overheads,
      List<Double> queueWaits,
      List<Double> activitySec,
      Map<String, Integer> statuses) {}

  static Batch batch(JobService jobs, WorkflowClient client, Path clip, String prefix, int n) throws Exception {
    ExecutorService waiters = Executors.newFixedThreadPool(n);
    try {
      long t0 = System.nanoTime();
      List<Future<double[]>> ends = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String id = prefix + "-" + i;
        long submitted = System.nanoTime();
        jobs.start(
            JobSubmission.builder(clip.toString()).jobId(id).engine("local").keepSource(false).build(), "bench");
        ids.add(id);
        ends.add(
            waiters.submit(
                () -> {
                  JobResult r = jobs.awaitResult(id);
                  long end = System.nanoTime();
                  return new double[] {(end - submitted) / 1e9, (end - t0) / 1e9, r.status().ordinal()};
                }));
      }
      List<Double> latencies = new ArrayList<>();
      Map<String, Integer> statuses = new TreeMap<>();
      double span = 0;
      for (Future<double[]> f : ends) {
        double[] r = f.get();
        latencies.add(r[0]);
        span = Math.max(span, r[1]);
        statuses.merge(io.videopipe.pipeline.JobStatus.values()[(int) r[2]].name(), 1, Integer::sum);
      }
      List<Double> overheads = new ArrayList<>();
      List<Double> waits = new ArrayList<>();
      List<Double> activity = new ArrayList<>();
      for (String id : ids) {
        JobTimeline t = JobTimeline.of(client.fetchHistory(id).getEvents());
        overheads.add(t.overheadSec());
        waits.add(t.queueWaitSec());
        activity.add(t.activitySec());
      }
      return new Batch(span, latencies, overheads, waits, activity, statuses);
    } finally {
      waiters.shutdownNow();
    }
  }
}

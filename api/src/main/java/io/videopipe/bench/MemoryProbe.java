package io.videopipe.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.videopipe.jobs.JobService;
import io.videopipe.jobs.JobSubmission;
import io.videopipe.pipeline.JobResult;
import io.videopipe.transcribe.VoskEngine;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The child JVM of the memory and grid sections: starts the local role, submits {@code jobs} jobs on {@code input} at
 * once with the local engine and prints its figures as one JSON line after {@link #MARKER}. Heap peaks come from GC
 * notifications (usage just before each collection is the highest the heap got since the previous one); RSS from
 * /proc/self/status; CPU from the process's own CPU time and, for how busy the whole machine was, /proc/stat.
 */
final class MemoryProbe {
  static final String MARKER = "BENCH-MEMORY ";

  private MemoryProbe() {}

  static int run(Path input, Path workDir, int jobCount) throws Exception {
    // A probe whose bench was killed must not run on alone for hours.
    ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
    Set<String> heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());
    AtomicLong maxBeforeGc = new AtomicLong();
    AtomicLong maxAfterGc = new AtomicLong();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc)
          .addNotificationListener(
              (notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                  return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                maxBeforeGc.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageBeforeGc(), heapPools), Math::max);
                maxAfterGc.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageAfterGc(), heapPools), Math::max);
              },
              null,
              null);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    try (ConfigurableApplicationContext ctx = PipelineBench.localRole(workDir, input.getParent())) {
      JobService jobs = ctx.getBean(JobService.class);
      WorkflowClient client = ctx.getBean(WorkflowClient.class);
      // Wait for the model preload so "idle" means a worker ready for its first job.
      ctx.getBean(VoskEngine.class).loadModel();
      System.gc();
      out.put("mallocArenaMax", System.getenv(MemoryBench.MALLOC_ARENA_MAX));
      out.put("idleRssBytes", procStatus("VmRSS"));
      out.put("idleHwmBytes", procStatus("VmHWM"));
      out.put("idleHeapUsedBytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long[] machine0 = machineCpuTicks();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      String prefix = "bench-probe-" + ProcessHandle.current().pid() + "-";
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < jobCount; i++) {
        String id = prefix + i;
        jobs.start(JobSubmission.builder(input.toString()).jobId(id).engine("local").keepSource(false).build(), "bench");
        ids.add(id);
      }
      // Results in submission order; each job's end is taken when its own result arrives.
      ExecutorService waiters = Executors.newFixedThreadPool(jobCount);
      List<Future<Object[]>> ends = new ArrayList<>();
      for (String id : ids) {
        ends.add(waiters.submit(() -> new Object[] {jobs.awaitResult(id), System.nanoTime()}));
      }
      List<Map<String, Object>> perJob = new ArrayList<>();
      Map<String, Integer> statuses = new TreeMap<>();
      double span = 0;
      JobResult first = null;
      for (int i = 0; i < ids.size(); i++) {
        Object[] end = ends.get(i).get();
        JobResult r = (JobResult) end[0];
        double wall = ((Long) end[1] - t0) / 1e9;
        span = Math.max(span, wall);
        statuses.merge(r.status().name(), 1, Integer::sum);
        first = first == null ? r : first;
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("status", r.status().name());
        j.put("wallSec", wall);
        j.put("timings", r.timings());
        List<HistoryEvent> events = client.fetchHistory(ids.get(i)).getEvents();
        JobTimeline t = JobTimeline.of(events);
        j.put("overheadSec", t.overheadSec());
        j.put("queueWaitSec", t.queueWaitSec());
        j.put("retriesByActivity", retries(events));
        j.put("error", r.error() == null ? null : r.error().message());
        perJob.add(j);
      }
      waiters.shutdownNow();
      long cpu = os.getProcessCpuTime() - cpu0;
      long[] machine1 = machineCpuTicks();
      int cores = Runtime.getRuntime().availableProcessors();
      out.put("jobs", jobCount);
      out.put("spanSec", span);
      out.put("statuses", statuses);
      out.put("processCpuSec", cpu / 1e9);
      out.put("cores", cores);
      out.put("cpuUtilisation", cpu / 1e9 / span / cores);
      out.put(
          "machineBusy",
          machine0 == null || machine1 == null || machine1[0] == machine0[0]
              ? null
              : (double) (machine1[1] - machine0[1]) / (machine1[0] - machine0[0]));
      out.put("loadAverageAtEnd", os.getSystemLoadAverage());
      out.put("perJob", perJob);
      // the first job's figures under the names the memory section reads
      out.put("jobWallSec", perJob.get(0).get("wallSec"));
      out.put("status", statuses.size() == 1 ? statuses.keySet().iterator().next() : statuses.toString());
      out.put("sourceSec", first.source() == null ? null : first.source().media().durationSec());
      out.put("words", first.transcription() == null ? null : first.transcription().words());
      out.put("error", first.error() == null ? null : first.error().message());
    }
    out.put("peakRssBytes", procStatus("VmHWM"));
    long poolPeaks = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        poolPeaks += p.getPeakUsage().getUsed();
      }
    }
    out.put("peakHeapBeforeGcBytes", maxBeforeGc.get());
    out.put("maxLiveHeapAfterGcBytes", maxAfterGc.get());
    out.put("sumOfHeapPoolPeaksBytes", poolPeaks);
    out.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    out.put(
        "gc",
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName)
            .collect(Collectors.joining(", ")));
    System.out.println(MARKER + new ObjectMapper().writeValueAsString(out));
    return 0;
  }

  private static long heapUsed(Map<String, MemoryUsage> usage, Set<String> heapPools) {
    return usage.entrySet().stream()
        .filter(e -> heapPools.contains(e.getKey()))
        .mapToLong(e -> e.getValue().getUsed())
        .sum();
  }

  /**
   * Attempts beyond the first, per activity type: a history keeps only the last attempt of a retried activity, whose
   * ActivityTaskStarted carries its attempt number.
   */
  static Map<String, Integer> retries(List<HistoryEvent> events) {
    Map<Long, String> types = new HashMap<>();
    Map<String, Integer> out = new TreeMap<>();
    for (HistoryEvent e : events) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        types.put(e.getEventId(), e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
      } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        var a = e.getActivityTaskStartedEventAttributes();
        if (a.getAttempt() > 1) {
          out.merge(types.getOrDefault(a.getScheduledEventId(), "?"), a.getAttempt() - 1, Integer::sum);
        }
      }
    }
    return out;
  }

  /** {total, busy} jiffies of all CPUs from /proc/stat (busy = all but idle and iowait), or null. */
  static long[] machineCpuTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      // cpu user nice system idle iowait irq softirq steal (guest time is already in user)
      for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
      return new long[] {total, total - idle};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** A "VmXxx:  1234 kB" line of /proc/self/status in bytes, or -1. */
  static long procStatus(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          String[] f = line.substring(field.length() + 1).trim().split("\\s+");
          return Long.parseLong(f[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }
}

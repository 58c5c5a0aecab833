package io.videopipe.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The child JVM of the memory section: starts the local role, runs one job on {@code input} with the local engine and
 * prints its memory figures as one JSON line after {@link #MARKER}. Heap peaks come from GC notifications (usage just
 * before each collection is the highest the heap got since the previous one); RSS from /proc/self/status.
 */
final class MemoryProbe {
  static final String MARKER = "BENCH-MEMORY ";

  private MemoryProbe() {}

  static int run(Path input, Path workDir) throws Exception {
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
      // Wait for the model preload so "idle" means a worker ready for its first job.
      ctx.getBean(VoskEngine.class).loadModel();
      System.gc();
      out.put("idleRssBytes", procStatus("VmRSS"));
      out.put("idleHwmBytes", procStatus("VmHWM"));
      out.put("idleHeapUsedBytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      long t0 = System.nanoTime();
      String id = "bench-memory-" + ProcessHandle.current().pid();
      jobs.start(JobSubmission.builder(input.toString()).jobId(id).engine("local").keepSource(false).build(), "bench");
      JobResult r = jobs.awaitResult(id);
      out.put("jobWallSec", (System.nanoTime() - t0) / 1e9);
      out.put("status", r.status().name());
      out.put("sourceSec", r.source() == null ? null : r.source().media().durationSec());
      out.put("words", r.transcription() == null ? null : r.transcription().words());
      out.put("error", r.error() == null ? null : r.error().message());
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

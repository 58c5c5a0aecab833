package io.videopipe.monitoring;

import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.client.WorkflowClient;
import io.videopipe.config.VideoPipeProperties;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Task-queue gauges for the operators' dashboard and alerts, read from Temporal's DescribeTaskQueue every 15 s by the
 * API role: {@value #BACKLOG} (approximate tasks waiting) and {@value #POLLERS} (workers polling; on the GPU activity
 * queue, the GPU pool size), tagged {@code queue} and {@code type} (workflow, activity). The embedded server has no
 * DescribeTaskQueue: the gauges then read NaN (no data), never a made-up zero.
 */
@Component
@Profile({"local", "api"})
public class QueueMetrics {
  public static final String BACKLOG = "videopipe.task_queue.backlog";
  public static final String POLLERS = "videopipe.task_queue.pollers";
  static final long PERIOD_SECONDS = 15;

  private record Probe(String queue, TaskQueueType type, AtomicReference<Double> backlog, AtomicReference<Double> pollers) {}

  private final WorkflowClient client;
  private final List<Probe> probes;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "queue-metrics");
        t.setDaemon(true);
        return t;
      });

  public QueueMetrics(WorkflowClient client, VideoPipeProperties props, MeterRegistry registry) {
    this.client = client;
    this.probes = List.of(
        probe(props.queues().cpu(), TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
        probe(props.queues().cpu(), TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
        probe(props.queues().gpu(), TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY));
    for (Probe p : probes) {
      String type = p.type() == TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW ? "workflow" : "activity";
      Gauge.builder(BACKLOG, p.backlog(), AtomicReference::get)
          .description("Approximate tasks waiting in a Temporal task queue (DescribeTaskQueue backlog hint)")
          .tag("queue", p.queue()).tag("type", type).register(registry);
      Gauge.builder(POLLERS, p.pollers(), AtomicReference::get)
          .description("Workers polling a Temporal task queue; on the GPU activity queue, the GPU pool size")
          .tag("queue", p.queue()).tag("type", type).register(registry);
    }
    scheduler.scheduleWithFixedDelay(this::refresh, 1, PERIOD_SECONDS, TimeUnit.SECONDS);
  }

  private static Probe probe(String queue, TaskQueueType type) {
    return new Probe(queue, type, new AtomicReference<>(Double.NaN), new AtomicReference<>(Double.NaN));
  }

  void refresh() {
    for (Probe p : probes) {
      try {
        DescribeTaskQueueResponse r =
            client.getWorkflowServiceStubs().blockingStub()
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .describeTaskQueue(
                    DescribeTaskQueueRequest.newBuilder()
                        .setNamespace(client.getOptions().getNamespace())
                        .setTaskQueue(TaskQueue.newBuilder().setName(p.queue()).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                        .setTaskQueueType(p.type())
                        .setIncludeTaskQueueStatus(true)
                        .build());
        p.pollers().set((double) r.getPollersCount());
        p.backlog().set(r.hasTaskQueueStatus() ? (double) r.getTaskQueueStatus().getBacklogCountHint() : Double.NaN);
      } catch (StatusRuntimeException e) {
        p.pollers().set(Double.NaN);
        p.backlog().set(Double.NaN);
      }
    }
  }

  @PreDestroy
  void stop() {
    scheduler.shutdownNow();
  }

  static String typeLabel(TaskQueueType t) {
    return t.name().replace("TASK_QUEUE_TYPE_", "").toLowerCase(Locale.ROOT);
  }
}

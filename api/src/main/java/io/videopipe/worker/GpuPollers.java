package io.videopipe.worker;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.videopipe.transcribe.TranscriptionEngine.Availability;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Whether a GPU worker polls the GPU queue now, asked of a real Temporal server with DescribeTaskQueue (activity
 * pollers). A poller counts when the server saw it within {@code recent}. The embedded test server does not implement
 * DescribeTaskQueue; there the CPU worker answers from configuration instead.
 */
final class GpuPollers implements Supplier<Availability> {
  static final Duration RECENT = Duration.ofMinutes(1);
  private static final long DEADLINE_MS = 5_000;

  private final Supplier<WorkflowServiceBlockingStub> stub;
  private final String namespace;
  private final String queue;
  private final Clock clock;

  GpuPollers(Supplier<WorkflowServiceBlockingStub> stub, String namespace, String queue, Clock clock) {
    this.stub = stub;
    this.namespace = namespace;
    this.queue = queue;
    this.clock = clock;
  }

  @Override
  public Availability get() {
    DescribeTaskQueueResponse response;
    try {
      response =
          stub.get()
              .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
              .describeTaskQueue(
                  DescribeTaskQueueRequest.newBuilder()
                      .setNamespace(namespace)
                      .setTaskQueue(
                          TaskQueue.newBuilder().setName(queue).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL).build())
                      .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
                      .build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return new Availability(false, "the Temporal server does not implement DescribeTaskQueue; cannot see GPU pollers");
      }
      return new Availability(false, "could not ask Temporal for GPU pollers on '" + queue + "': " + e.getStatus());
    }
    Instant since = clock.instant().minus(RECENT);
    long recent =
        response.getPollersList().stream()
            .filter(p -> !p.hasLastAccessTime() || lastAccess(p).isAfter(since))
            .count();
    if (recent == 0) {
      return new Availability(false, "no GPU worker polls '" + queue + "' (DescribeTaskQueue: "
          + response.getPollersCount() + " poller(s), none seen in the last " + RECENT.toSeconds() + " s)");
    }
    return new Availability(true, recent + " GPU poller(s) on '" + queue + "'");
  }

  private static Instant lastAccess(PollerInfo p) {
    return Instant.ofEpochSecond(p.getLastAccessTime().getSeconds(), p.getLastAccessTime().getNanos());
  }
}

package io.videopipe.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.videopipe.testing.FakeWorkflowService;
import io.videopipe.transcribe.TranscriptionEngine.Availability;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real-server path of PARAKEET availability, against an in-process fake of Temporal's DescribeTaskQueue. */
class GpuPollersTest {
  static final Instant NOW = Instant.parse("2026-11-23T20:00:00Z");

  final List<DescribeTaskQueueRequest> requests = new CopyOnWriteArrayList<>();
  volatile List<PollerInfo> pollers = List.of();
  volatile Status failure;
  FakeWorkflowService temporal;
  GpuPollers check;

  @BeforeEach
  void start() throws Exception {
    temporal =
        FakeWorkflowService.start(
            new WorkflowServiceGrpc.WorkflowServiceImplBase() {
              @Override
              public void describeTaskQueue(
                  DescribeTaskQueueRequest request, StreamObserver<DescribeTaskQueueResponse> response) {
                requests.add(request);
                if (failure != null) {
                  response.onError(failure.asRuntimeException());
                  return;
                }
                response.onNext(DescribeTaskQueueResponse.newBuilder().addAllPollers(pollers).build());
                response.onCompleted();
              }
            });
    check = new GpuPollers(temporal::blockingStub, "prod", "video-gpu", Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    temporal.close();
  }

  static PollerInfo poller(String identity, Instant lastAccess) {
    return PollerInfo.newBuilder()
        .setIdentity(identity)
        .setLastAccessTime(Timestamp.newBuilder().setSeconds(lastAccess.getEpochSecond()))
        .build();
  }

  @Test
  void recentActivityPollersOnTheGpuQueueMakeParakeetAvailable() {
    pollers = List.of(poller("gpu-1@host-a", NOW.minusSeconds(5)), poller("gpu-2@host-b", NOW.minusSeconds(20)));

    Availability a = check.get();

    assertThat(a.available()).isTrue();
    assertThat(a.detail()).isEqualTo("2 GPU poller(s) on 'video-gpu'");
    DescribeTaskQueueRequest request = requests.get(0);
    assertThat(request.getNamespace()).isEqualTo("prod");
    assertThat(request.getTaskQueue().getName()).isEqualTo("video-gpu");
    assertThat(request.getTaskQueueType()).isEqualTo(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY);
  }

  @Test
  void noPollerOrOnlyStaleOnesMeansUnavailable() {
    assertThat(check.get().available()).isFalse();
    assertThat(check.get().detail()).startsWith("no GPU worker polls 'video-gpu'");

    pollers = List.of(poller("gpu-1@gone", NOW.minusSeconds(300)));
    Availability stale = check.get();
    assertThat(stale.available()).isFalse();
    assertThat(stale.detail()).contains("1 poller(s), none seen in the last 60 s");
  }

  @Test
  void aServerWithoutDescribeTaskQueueOrUnreachableSaysSo() {
    failure = Status.UNIMPLEMENTED.withDescription("method DescribeTaskQueue is unimplemented");
    Availability unimplemented = check.get();
    assertThat(unimplemented.available()).isFalse();
    assertThat(unimplemented.detail()).contains("does not implement DescribeTaskQueue");

    failure = Status.UNAVAILABLE.withDescription("connection refused");
    Availability down = check.get();
    assertThat(down.available()).isFalse();
    assertThat(down.detail()).contains("could not ask Temporal", "UNAVAILABLE", "connection refused");
  }
}

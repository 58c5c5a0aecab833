package io.videopipe.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.temporal.api.schedule.v1.ScheduleListInfo;
import io.temporal.api.schedule.v1.ScheduleSpec;
import io.temporal.api.schedule.v1.ScheduleListEntry;
import io.temporal.api.workflowservice.v1.CreateScheduleRequest;
import io.temporal.api.workflowservice.v1.CreateScheduleResponse;
import io.temporal.api.workflowservice.v1.DeleteScheduleRequest;
import io.temporal.api.workflowservice.v1.DeleteScheduleResponse;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.ListSchedulesRequest;
import io.temporal.api.workflowservice.v1.ListSchedulesResponse;
import io.temporal.api.workflowservice.v1.PatchScheduleRequest;
import io.temporal.api.workflowservice.v1.PatchScheduleResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.videopipe.pipeline.TaskQueues;
import io.videopipe.testing.FakeWorkflowService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real-server schedule paths against an in-process fake of Temporal's schedule RPCs. */
class ScheduleServiceTest {
  final List<CreateScheduleRequest> created = new CopyOnWriteArrayList<>();
  final List<PatchScheduleRequest> patches = new CopyOnWriteArrayList<>();
  final Set<String> existing = ConcurrentHashMap.newKeySet();
  FakeWorkflowService temporal;
  WorkflowServiceStubs stubs;
  ScheduleService service;

  @TempDir java.nio.file.Path storageDir;

  @BeforeEach
  void start() throws Exception {
    temporal =
        FakeWorkflowService.start(
            new WorkflowServiceGrpc.WorkflowServiceImplBase() {
              @Override
              public void getSystemInfo(GetSystemInfoRequest r, StreamObserver<GetSystemInfoResponse> o) {
                o.onNext(GetSystemInfoResponse.getDefaultInstance());
                o.onCompleted();
              }

              @Override
              public void createSchedule(CreateScheduleRequest r, StreamObserver<CreateScheduleResponse> o) {
                if (!existing.add(r.getScheduleId())) {
                  o.onError(Status.ALREADY_EXISTS.withDescription("schedule exists").asRuntimeException());
                  return;
                }
                created.add(r);
                o.onNext(CreateScheduleResponse.getDefaultInstance());
                o.onCompleted();
              }

              @Override
              public void listSchedules(ListSchedulesRequest r, StreamObserver<ListSchedulesResponse> o) {
                ListSchedulesResponse.Builder b = ListSchedulesResponse.newBuilder();
                for (CreateScheduleRequest c : created) {
                  b.addSchedules(
                      ScheduleListEntry.newBuilder()
                          .setScheduleId(c.getScheduleId())
                          .setInfo(
                              ScheduleListInfo.newBuilder()
                                  .setSpec(c.getSchedule().getSpec())
                                  .setPaused(true)
                                  .addFutureActionTimes(Timestamp.newBuilder().setSeconds(1_800_000_000L))));
                }
                o.onNext(b.build());
                o.onCompleted();
              }

              @Override
              public void patchSchedule(PatchScheduleRequest r, StreamObserver<PatchScheduleResponse> o) {
                if (!existing.contains(r.getScheduleId())) {
                  o.onError(Status.NOT_FOUND.withDescription("schedule not found").asRuntimeException());
                  return;
                }
                patches.add(r);
                o.onNext(PatchScheduleResponse.getDefaultInstance());
                o.onCompleted();
              }

              @Override
              public void deleteSchedule(DeleteScheduleRequest r, StreamObserver<DeleteScheduleResponse> o) {
                if (!existing.remove(r.getScheduleId())) {
                  o.onError(Status.NOT_FOUND.withDescription("schedule not found").asRuntimeException());
                  return;
                }
                o.onNext(DeleteScheduleResponse.getDefaultInstance());
                o.onCompleted();
              }
            });
    stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setChannel(temporal.channel()).build());
    WorkflowClient client =
        WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace("prod").build());
    ScheduleClient schedules =
        ScheduleClient.newInstance(stubs, ScheduleClientOptions.newBuilder().setNamespace("prod").build());
    service = new ScheduleService(schedules, client, new ReprocessService(client, new TaskQueues("cpu-q", "gpu-q"),
        new io.videopipe.storage.LocalStorage(storageDir), new io.videopipe.jobs.JobListing(client)));
  }

  @AfterEach
  void stop() {
    stubs.shutdownNow();
    temporal.close();
  }

  static ReprocessSpec spec() {
    return new ReprocessSpec("incoming/", null, null, null, 3, null, null, null, null, null, null);
  }

  @Test
  void createsACronScheduleThatStartsTheBulkWorkflow() {
    Map<String, Object> answer = service.create(new ScheduleRequest("nightly", "0 3 * * *", null, spec()), null);

    assertThat(answer).containsEntry("mode", "schedule").containsEntry("cron", "0 3 * * *");
    CreateScheduleRequest req = created.get(0);
    assertThat(req.getNamespace()).isEqualTo("prod");
    assertThat(req.getScheduleId()).isEqualTo("nightly");
    assertThat(req.getSchedule().getSpec().getCronStringList()).containsExactly("0 3 * * *");
    var start = req.getSchedule().getAction().getStartWorkflow();
    assertThat(start.getWorkflowType().getName()).isEqualTo(BulkReprocessWorkflow.TYPE);
    assertThat(start.getTaskQueue().getName()).isEqualTo("cpu-q");
    assertThat(start.getWorkflowId()).isEqualTo("nightly-run");
    BulkRequest arg =
        DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
            start.getInput().getPayloads(0), BulkRequest.class, BulkRequest.class);
    assertThat(arg.selection().prefix()).isEqualTo("incoming/");
    assertThat(arg.concurrency()).isEqualTo(3);
    assertThat(arg.queues()).isEqualTo(new TaskQueues("cpu-q", "gpu-q"));
  }

  @Test
  void unknownSchedulesConflictsAndBadSpecsAreClearErrors() {
    assertThatThrownBy(() -> service.pause("nope", null)).isInstanceOf(ScheduleNotFoundException.class);
    assertThatThrownBy(() -> service.delete("nope")).isInstanceOf(ScheduleNotFoundException.class);
    service.create(new ScheduleRequest("nightly", "0 3 * * *", null, spec()), null);
    assertThatThrownBy(() -> service.create(new ScheduleRequest("nightly", "0 4 * * *", null, spec()), null))
        .isInstanceOf(ScheduleConflictException.class);
    assertThatThrownBy(() -> service.create(new ScheduleRequest("x", "0 3 * * *", "PT1H", spec()), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("either cron");
    assertThatThrownBy(() -> service.create(new ScheduleRequest("x", "every night", null, spec()), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("five fields");
    assertThatThrownBy(() -> service.create(new ScheduleRequest("x", null, "soon", spec()), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ISO-8601");
  }

  @Test
  void intervalsMapToCronWhereTheyCan() {
    assertThat(ScheduleService.cronFor(java.time.Duration.ofMinutes(15))).isEqualTo("*/15 * * * *");
    assertThat(ScheduleService.cronFor(java.time.Duration.ofHours(1))).isEqualTo("0 * * * *");
    assertThat(ScheduleService.cronFor(java.time.Duration.ofHours(6))).isEqualTo("0 */6 * * *");
    assertThat(ScheduleService.cronFor(java.time.Duration.ofDays(1))).isEqualTo("0 0 * * *");
    assertThatThrownBy(() -> ScheduleService.cronFor(java.time.Duration.ofMinutes(90)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no cron equivalent");
  }
}

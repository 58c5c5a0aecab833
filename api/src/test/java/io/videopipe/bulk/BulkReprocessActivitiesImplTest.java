package io.videopipe.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.storage.LocalStorage;
import io.videopipe.testing.FakeWorkflowService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Selection by storage prefix (real local storage) and by past jobs (in-process fake of ListWorkflowExecutions). */
class BulkReprocessActivitiesImplTest {
  @TempDir Path dir;
  final List<ListWorkflowExecutionsRequest> requests = new CopyOnWriteArrayList<>();
  volatile Status failure;
  volatile ListWorkflowExecutionsResponse page = ListWorkflowExecutionsResponse.getDefaultInstance();
  FakeWorkflowService temporal;
  LocalStorage storage;
  BulkReprocessActivitiesImpl activities;

  @BeforeEach
  void start() throws Exception {
    temporal =
        FakeWorkflowService.start(
            new WorkflowServiceGrpc.WorkflowServiceImplBase() {
              @Override
              public void listWorkflowExecutions(
                  ListWorkflowExecutionsRequest r, StreamObserver<ListWorkflowExecutionsResponse> o) {
                requests.add(r);
                if (failure != null) {
                  o.onError(failure.asRuntimeException());
                  return;
                }
                o.onNext(page);
                o.onCompleted();
              }
            });
    storage = new LocalStorage(dir.resolve("store"));
    activities = new BulkReprocessActivitiesImpl(storage, temporal::blockingStub, "prod");
  }

  @AfterEach
  void stop() {
    temporal.close();
  }

  @Test
  void pagesThroughEveryObjectUnderAPrefixInOrder() throws Exception {
    Path in = Files.createDirectories(dir.resolve("store/incoming/2026"));
    for (String n : List.of("e.mp4", "a.mp4", "c.mp4", "b.mp4", "d.mp4", ".x.mp4.tmp")) {
      Files.writeString(in.resolve(n), n);
    }
    Files.writeString(Files.createDirectories(dir.resolve("store/other")).resolve("z.mp4"), "z");

    List<String> all = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String cursor = null;
    do {
      SourcePage p = activities.selectSources(BulkSelection.ofPrefix("incoming/"), cursor, 2);
      all.addAll(p.sources());
      sizes.add(p.sources().size());
      cursor = p.nextCursor();
    } while (cursor != null);

    assertThat(sizes).containsExactly(2, 2, 1);
    assertThat(all).containsExactly(
        in.resolve("a.mp4").toUri().toString(), in.resolve("b.mp4").toUri().toString(),
        in.resolve("c.mp4").toUri().toString(), in.resolve("d.mp4").toUri().toString(),
        in.resolve("e.mp4").toUri().toString());
  }

  @Test
  void aPrefixOutsideStorageIsRefused() {
    assertThatThrownBy(() -> activities.selectSources(BulkSelection.ofPrefix("file:///etc/"), null, 10))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("outside the storage root");
  }

  @Test
  void withoutVisibilityThePastJobsSelectionFailsClearlyAndIsNotRetried() {
    failure = Status.UNIMPLEMENTED.withDescription("method ListWorkflowExecutions is unimplemented");
    assertThatThrownBy(() -> activities.selectSources(new BulkSelection(null, "local", null, null), null, 10))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getType()).isEqualTo(BulkReprocessActivities.UNSUPPORTED_TYPE);
        })
        .hasMessageContaining("select videos by prefix");
  }

  @Test
  void enginesAndDatesAreValidatedBeforeTheyReachAQuery() {
    assertThatThrownBy(() -> BulkReprocessActivitiesImpl.pastJobsQuery(new BulkSelection(null, "x' OR 1=1", null, null)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BulkReprocessActivitiesImpl.pastJobsQuery(new BulkSelection(null, null, "2026-13-01", null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ISO-8601");
  }

  static WorkflowExecutionInfo job(String id, String source) {
    return WorkflowExecutionInfo.newBuilder()
        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
        .setMemo(Memo.newBuilder().putFields("source", DefaultDataConverter.STANDARD_INSTANCE.toPayload(source).get()))
        .build();
  }
}

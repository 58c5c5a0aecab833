package io.videopipe.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.activity.ActivityInterface;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.videopipe.pipeline.HistoryFiles;
import io.videopipe.pipeline.JobRequest;
import io.videopipe.pipeline.JobResult;
import io.videopipe.pipeline.JobStatus;
import io.videopipe.pipeline.Progress;
import io.videopipe.pipeline.SearchAttributes;
import io.videopipe.pipeline.TaskQueues;
import io.videopipe.pipeline.VideoPipelineWorkflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bulk workflow with stand-in child jobs (they report when they start and end) and a paged in-memory selection. */
class BulkReprocessWorkflowTest {
  private static final String CPU = TaskQueues.DEFAULT_CPU;

  /** Lets the stand-in child workflow report to the test through activities, which are never replayed. */
  @ActivityInterface
  public interface ChildProbe {
    void begin(String source);

    void end(String source);
  }

  static final AtomicInteger current = new AtomicInteger();
  static final AtomicInteger max = new AtomicInteger();
  static final List<String> begun = new CopyOnWriteArrayList<>();
  static final Set<String> ended = ConcurrentHashMap.newKeySet();
  static volatile boolean childrenBlock;
  /** Children that ignore Temporal's cancellation and end only on their cancel signal. */
  static volatile boolean childrenDeaf;

  public static class ProbeImpl implements ChildProbe {
    @Override
    public void begin(String source) {
      begun.add(source);
      max.accumulateAndGet(current.incrementAndGet(), Math::max);
    }

    @Override
    public void end(String source) {
      ended.add(source);
      current.decrementAndGet();
    }
  }

  /** A child job: "bad" sources fail, "review" ones need review; each takes a minute of workflow time. */
  public static class FakeJob implements VideoPipelineWorkflow {
    @Override
    public JobResult run(JobRequest request) {
      ChildProbe probe =
          Workflow.newActivityStub(
              ChildProbe.class,
              io.temporal.activity.ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
      probe.begin(request.sourceUri());
      if (childrenDeaf) {
        Workflow.newDetachedCancellationScope(() -> Workflow.await(() -> cancelSignalled)).run();
        throw new io.temporal.failure.CanceledFailure("cancel signal");
      }
      if (childrenBlock) {
        Workflow.await(() -> false);
      }
      Workflow.sleep(Duration.ofMinutes(1));
      probe.end(request.sourceUri());
      if (request.sourceUri().contains("bad")) {
        throw ApplicationFailure.newNonRetryableFailure("unreadable video", "UnsupportedMedia");
      }
      JobStatus s = request.sourceUri().contains("review") ? JobStatus.NEEDS_REVIEW : JobStatus.COMPLETED;
      return new JobResult(Workflow.getInfo().getWorkflowId(), s, null, null, List.of(), List.of(), null, null,
          Map.of(), Map.of(), null);
    }

    @Override
    public Progress progress() {
      return null;
    }

    @Override
    public List<io.videopipe.pipeline.StepTiming> stepTimings() {
      return List.of();
    }

    @Override
    public JobResult finalResult() {
      return null;
    }

    @Override
    public io.videopipe.pipeline.JobReadout readout() {
      return null;
    }

    @Override
    public io.videopipe.notify.WebhookDelivery webhookDelivery() {
      return null;
    }

    private boolean cancelSignalled;

    @Override
    public void cancel(String reason) {
      cancelSignalled = true;
    }

    @Override
    public void reprioritize(int priority) {}
  }

  /** Pages over a fixed list; the cursor is the index of the next source. */
  static final class ListSelection implements BulkReprocessActivities {
    final List<String> sources;
    final List<String> cursors = new CopyOnWriteArrayList<>();

    ListSelection(List<String> sources) {
      this.sources = sources;
    }

    @Override
    public SourcePage selectSources(BulkSelection selection, String cursor, int pageSize) {
      cursors.add(String.valueOf(cursor));
      int from = cursor == null ? 0 : Integer.parseInt(cursor);
      int to = Math.min(sources.size(), from + pageSize);
      return new SourcePage(sources.subList(from, to), to < sources.size() ? String.valueOf(to) : null, null);
    }
  }

  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeEach
  void reset() {
    current.set(0);
    max.set(0);
    begun.clear();
    ended.clear();
    childrenBlock = false;
    childrenDeaf = false;
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  private ListSelection start(List<String> sources) {
    env = TestWorkflowEnvironment.newInstance();
    SearchAttributes.definitions().forEach(env::registerSearchAttribute);
    Worker worker = env.newWorker(CPU);
    worker.registerWorkflowImplementationTypes(BulkReprocessWorkflowImpl.class, FakeJob.class);
    ListSelection selection = new ListSelection(sources);
    worker.registerActivitiesImplementations(selection, new ProbeImpl());
    env.start();
    client = env.getWorkflowClient();
    return selection;
  }

  private BulkReprocessWorkflow bulk(String id) {
    return client.newWorkflowStub(
        BulkReprocessWorkflow.class, WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(CPU).build());
  }

  @Test
  void runsEveryChildWithinTheWindowAcrossPagesAndContinueAsNew() throws Exception {
    List<String> sources =
        IntStream.rangeClosed(1, 7)
            .mapToObj(i -> "gs://b/in/v" + i + (i == 3 ? "-bad" : i == 5 ? "-review" : "") + ".mp4")
            .toList();
    ListSelection selection = start(sources);
    BulkRequest request = BulkRequest.of(BulkSelection.ofPrefix("gs://b/in/"), 2).withPaging(3, 4);

    BulkReprocessWorkflow wf = bulk("bulk-1");
    BulkProgress done = wf.run(request);
    HistoryFiles.saveIfCapturing(
        "bulk-paged-continued-as-new",
        client.fetchHistory("bulk-1", WorkflowStub.fromTyped(wf).getExecution().getRunId()));

    assertThat(done.status()).isEqualTo("COMPLETED");
    assertThat(done.counts()).isEqualTo(new BulkCounts(7, 5, 1, 1, 0, 0));
    assertThat(done.runs()).as("continued as new after 4 children").isEqualTo(1);
    assertThat(done.selectionDone()).isTrue();
    assertThat(done.recentFailures()).singleElement().asString().contains("v3-bad", "unreadable video");
    assertThat(begun).containsExactlyInAnyOrderElementsOf(sources);
    assertThat(max.get()).isEqualTo(2);
    assertThat(selection.cursors).containsExactly("null", "3", "6");
    // children are named after the bulk and their source
    WorkflowStub child = client.newUntypedWorkflowStub(BulkReprocessWorkflowImpl.childId("bulk-1", "", sources.get(0)));
    assertThat(child.describe().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
  }

  @Test
  void childIdsAreStablePerSourceAndDifferBetweenSources() {
    String a = BulkReprocessWorkflowImpl.childId("bulk-1", "", "gs://b/a.mp4");
    assertThat(a).isEqualTo(BulkReprocessWorkflowImpl.childId("bulk-1", "", "gs://b/a.mp4")).startsWith("bulk-1-");
    assertThat(a).isNotEqualTo(BulkReprocessWorkflowImpl.childId("bulk-1", "", "gs://b/b.mp4"));
    assertThat(a).isNotEqualTo(BulkReprocessWorkflowImpl.childId("bulk-1", "run-2", "gs://b/a.mp4"));
  }

  @Test
  void progressQueryAndCancellationReachTheChildren() throws Exception {
    childrenBlock = true;
    List<String> sources = List.of("gs://b/in/a.mp4", "gs://b/in/b.mp4", "gs://b/in/c.mp4");
    start(sources);
    BulkReprocessWorkflow wf = bulk("bulk-cancel");
    WorkflowClient.start(wf::run, BulkRequest.of(BulkSelection.ofPrefix("gs://b/in/"), 2));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (begun.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    BulkProgress progress = wf.progress();
    assertThat(progress.running()).isEqualTo(2);
    assertThat(progress.counts().started()).isEqualTo(2);

    WorkflowStub.fromTyped(wf).cancel("enough");
    assertThatThrownBy(() -> WorkflowStub.fromTyped(wf).getResult(BulkProgress.class))
        .isInstanceOf(WorkflowFailedException.class);
    for (String s : sources.subList(0, 2)) {
      WorkflowStub child = client.newUntypedWorkflowStub(BulkReprocessWorkflowImpl.childId("bulk-cancel", "", s));
      deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (child.describe().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(child.describe().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
    }
    assertThat(begun).hasSize(2);
    // the bulk run waited for its children: its last progress counts them as cancelled
    BulkProgress last = wf.progress();
    assertThat(last.status()).isEqualTo("CANCELLED");
    assertThat(last.counts().cancelled()).isEqualTo(2);
    assertThat(last.running()).isZero();
    HistoryFiles.saveIfCapturing("bulk-cancelled", client.fetchHistory("bulk-cancel"));
  }

  /**
   * A child that misses the first cancellation request (as one whose start was still in flight does) is cancelled
   * again: the bulk run and every child close within 30 s of the cancel, not after the five-minute bound.
   */
  @Test
  void childrenThatMissTheFirstCancellationAreCancelledAgain() throws Exception {
    childrenDeaf = true;
    List<String> sources = List.of("gs://b/in/a.mp4", "gs://b/in/b.mp4", "gs://b/in/c.mp4");
    start(sources);
    BulkReprocessWorkflow wf = bulk("bulk-deaf");
    WorkflowClient.start(wf::run, BulkRequest.of(BulkSelection.ofPrefix("gs://b/in/"), 2));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (begun.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    WorkflowStub.fromTyped(wf).cancel("enough");
    long cancelled = System.nanoTime();
    while (WorkflowStub.fromTyped(wf).describe().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
        && System.nanoTime() - cancelled < Duration.ofSeconds(30).toNanos()) {
      Thread.sleep(50);
    }
    assertThat(WorkflowStub.fromTyped(wf).describe().getStatus())
        .as("closed within 30 s of its cancel; last progress %s", wf.progress())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
    for (String s : sources.subList(0, 2)) {
      WorkflowStub child = client.newUntypedWorkflowStub(BulkReprocessWorkflowImpl.childId("bulk-deaf", "", s));
      assertThat(child.describe().getStatus()).as(s).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
    }
    assertThat(wf.progress().counts().cancelled()).isEqualTo(2);
  }
}

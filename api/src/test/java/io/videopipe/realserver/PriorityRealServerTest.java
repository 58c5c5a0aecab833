package io.videopipe.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.Activity;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.videopipe.audio.AudioActivities;
import io.videopipe.audio.ExtractAudioRequest;
import io.videopipe.audio.ExtractedAudio;
import io.videopipe.download.DownloadActivities;
import io.videopipe.download.DownloadRequest;
import io.videopipe.download.StoredSource;
import io.videopipe.pipeline.JobRequest;
import io.videopipe.pipeline.PipelineTimeouts;
import io.videopipe.pipeline.TaskQueues;
import io.videopipe.pipeline.VideoPipelineOptions;
import io.videopipe.pipeline.VideoPipelineWorkflow;
import io.videopipe.pipeline.VideoPipelineWorkflowImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Priority order between jobs queued for one worker slot, decided by a real Temporal server's matching service.
 *
 * <p>The jobs are real {@link VideoPipelineWorkflowImpl} runs started with {@link VideoPipelineOptions#forJob}, so the
 * priority keys are the ones our code sets (the workflow's, then {@code StepPolicies}' per step). The worker has
 * exactly one activity slot. Its Download and ExtractAudio are test implementations that record the order in which
 * the server hands them out (and hold the slot, or park the job, on command): the real media steps would only add
 * minutes of FFmpeg and downloads and say nothing more about the order, which the server alone decides.
 */
class PriorityRealServerTest {
  @RegisterExtension static final TemporalCliServer TEMPORAL = new TemporalCliServer();

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final String queue = "priority-" + UUID.randomUUID();
  private final String holder = "holder-" + UUID.randomUUID();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<String> downloads = new CopyOnWriteArrayList<>();
  private final List<String> extracts = new CopyOnWriteArrayList<>();
  private final List<String> started = new ArrayList<>();
  private WorkerFactory factory;

  @BeforeEach
  void worker() {
    factory = WorkerFactory.newInstance(TEMPORAL.client());
    Worker worker = factory.newWorker(queue, WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(1).build());
    worker.registerWorkflowImplementationFactory(VideoPipelineWorkflow.class,
        () -> new VideoPipelineWorkflowImpl(PipelineTimeouts.defaults()));
    worker.registerActivitiesImplementations(new HoldingDownload(), new ParkingExtract());
    factory.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    for (String id : started) {
      try {
        TEMPORAL.client().newUntypedWorkflowStub(id).terminate("test over");
      } catch (RuntimeException alreadyClosed) {
        // a job that failed on its own
      }
    }
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void queuedJobsGetTheSlotInPriorityOrder() throws Exception {
    holdTheSlot();
    String low = start("low", 5);
    String high = start("high", 1);
    String normal = start("normal", 3);
    awaitQueued(low, high, normal);

    release.countDown();
    await(() -> downloads.size() == 4, "the three queued downloads to run");

    assertThat(downloads).containsExactly(holder, high, normal, low);
  }

  @Test
  void reprioritizingAQueuedJobAppliesToItsNextSteps() throws Exception {
    holdTheSlot();
    String raised = start("raised", 5);
    String other = start("other", 4);
    awaitQueued(raised, other);
    stub(raised).reprioritize(1);
    await(() -> stub(raised).progress().priority() == 1, "the signal to reach the job");

    release.countDown();
    await(() -> downloads.size() == 3 && extracts.contains(raised) && extracts.contains(other),
        "both jobs to reach ExtractAudio");

    // The Download task was already in the server's queue: it keeps the key it was scheduled with.
    assertThat(downloads).containsExactly(holder, other, raised);
    assertThat(scheduledPriority(raised, "Download")).isEqualTo(5);
    // Steps scheduled after the signal carry the new key.
    assertThat(scheduledPriority(raised, "ExtractAudio")).isEqualTo(1);
    assertThat(scheduledPriority(other, "ExtractAudio")).isEqualTo(4);
  }

  /** A job at the default priority whose Download takes the only slot until {@link #release}. */
  private void holdTheSlot() throws InterruptedException {
    startJob(holder, 3);
    await(() -> downloads.contains(holder), "the holder's download to take the slot");
  }

  private String start(String name, int priority) {
    String id = name + "-" + UUID.randomUUID();
    startJob(id, priority);
    return id;
  }

  private void startJob(String id, int priority) {
    JobRequest request = JobRequest.builder("https://media.example/" + id + ".mp4")
        .priority(priority)
        .queues(new TaskQueues(queue, queue + "-gpu"))
        .build();
    VideoPipelineWorkflow job = TEMPORAL.client()
        .newWorkflowStub(VideoPipelineWorkflow.class, VideoPipelineOptions.forJob(id, request, Map.of(), null));
    WorkflowClient.start(job::run, request);
    started.add(id);
  }

  private VideoPipelineWorkflow stub(String id) {
    return TEMPORAL.client().newWorkflowStub(VideoPipelineWorkflow.class, id);
  }

  /** Each job's Download is scheduled and waits in the server's queue (the slot is held, so none was matched). */
  private void awaitQueued(String... ids) throws InterruptedException {
    for (String id : ids) {
      await(() -> TEMPORAL.stubs().blockingStub()
          .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(TEMPORAL.namespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
              .build())
          .getPendingActivitiesList().stream()
          .anyMatch(a -> a.getActivityType().getName().equals("Download")
              && a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED), id + " to queue its Download");
    }
    assertThat(downloads).containsExactly(holder);
  }

  /** The priority key the server recorded when the job scheduled the step. */
  private int scheduledPriority(String id, String activityType) {
    WorkflowExecution execution = WorkflowExecution.newBuilder().setWorkflowId(id).build();
    return TEMPORAL.client().fetchHistory(id).getHistory().getEventsList().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
        .filter(a -> a.getActivityType().getName().equals(activityType))
        .findFirst()
        .orElseThrow(() -> new AssertionError(execution + " never scheduled " + activityType))
        .getPriority().getPriorityKey();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  /** Records the order the server hands out Downloads; the holder's keeps the slot until released. */
  private final class HoldingDownload implements DownloadActivities {
    @Override
    public StoredSource download(DownloadRequest request) {
      downloads.add(request.jobId());
      if (request.jobId().equals(holder)) {
        try {
          while (!release.await(1, TimeUnit.SECONDS)) {
            Activity.getExecutionContext().heartbeat(null);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return new StoredSource(request.sourceUri(), "file:///nowhere/" + request.jobId(), 1, "0".repeat(64));
    }
  }

  /** Records which jobs reached ExtractAudio and parks them there (the slot is freed; the job waits). */
  private final class ParkingExtract implements AudioActivities {
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    @Override
    public ExtractedAudio extractAudio(ExtractAudioRequest request) {
      if (seen.add(request.jobId())) {
        extracts.add(request.jobId());
      }
      Activity.getExecutionContext().doNotCompleteOnReturn();
      return null;
    }
  }
}

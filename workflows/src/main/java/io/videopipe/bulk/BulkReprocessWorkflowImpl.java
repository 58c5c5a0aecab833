package io.videopipe.bulk;

import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.common.Priority;
import io.temporal.common.RetryOptions;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.videopipe.pipeline.JobRequest;
import io.videopipe.pipeline.JobResult;
import io.videopipe.pipeline.JobStatus;
import io.videopipe.pipeline.SearchAttributes;
import io.videopipe.pipeline.SourceDisplay;
import io.videopipe.pipeline.Step;
import io.videopipe.pipeline.VideoPipelineOptions;
import io.videopipe.pipeline.VideoPipelineWorkflow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/** Sliding window of child jobs over a paged selection; continues as new every {@code childrenPerRun} children. */
public class BulkReprocessWorkflowImpl implements BulkReprocessWorkflow {
  private static final Logger log = Workflow.getLogger(BulkReprocessWorkflowImpl.class);
  private static final int RECENT_FAILURES = 10;
  static final int RECENT_CHILDREN = 100;
  private static final Duration CHILD_CANCEL_WAIT = Duration.ofMinutes(5);
  /** How long cancelled children may stay open before they are cancelled again. */
  private static final Duration CHILD_RECANCEL_AFTER = Duration.ofSeconds(5);

  /** Version of the cancellation path that cancels children again while they stay open. */
  static final String RECANCEL_OPEN_CHILDREN = "recancel-open-children";

  private final Map<Promise<JobResult>, Child> running = new LinkedHashMap<>();
  private final Deque<String> pending = new ArrayDeque<>();
  /** The tenant of each pending source's past job, in step with {@link #pending}; "" for the run's own tenant. */
  private final Deque<String> pendingOwners = new ArrayDeque<>();
  private final List<String> recentFailures = new ArrayList<>();
  private final Deque<String> recentChildren = new ArrayDeque<>();
  private String status = "RUNNING";
  private String cursor;
  private boolean selectionDone;
  private int runs;
  private int started;
  private int completed;
  private int needsReview;
  private int failed;
  private int cancelled;
  private int duplicates;

  @Override
  public BulkProgress run(BulkRequest request) {
    BulkState state = request.state();
    cursor = state.cursor();
    selectionDone = state.selectionDone();
    pending.addAll(state.pending());
    pendingOwners.addAll(state.pendingOwners());
    runs = state.runs();
    recentFailures.addAll(state.recentFailures());
    recentChildren.addAll(state.recentChildren());
    BulkCounts c = state.counts();
    started = c.started();
    completed = c.completed();
    needsReview = c.needsReview();
    failed = c.failed();
    cancelled = c.cancelled();
    duplicates = c.duplicates();
    String bulkId = Workflow.getInfo().getWorkflowId();
    // A cron run starts afresh under the same workflow id: its children need ids of their own.
    String generation = state.generation();
    if (generation == null) {
      String cron = Workflow.getInfo().getCronSchedule();
      generation = cron == null || cron.isEmpty() ? "" : Workflow.getInfo().getFirstExecutionRunId();
    }

    BulkReprocessActivities selector =
        Workflow.newActivityStub(
            BulkReprocessActivities.class,
            ActivityOptions.newBuilder()
                .setTaskQueue(request.queues().cpu())
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setMaximumAttempts(5)
                        .setDoNotRetry(BulkReprocessActivities.UNSUPPORTED_TYPE, IllegalArgumentException.class.getName())
                        .build())
                .build());

    int startedThisRun = 0;
    try {
      while (true) {
        while (running.size() < request.concurrency() && startedThisRun < request.childrenPerRun()) {
          if (pending.isEmpty() && !selectionDone) {
            SourcePage page = selector.selectSources(request.selection(), cursor, request.pageSize());
            pending.addAll(page.sources());
            for (int i = 0; i < page.sources().size(); i++) {
              String owner = page.owner(i);
              pendingOwners.add(owner == null ? "" : owner);
            }
            cursor = page.nextCursor();
            selectionDone = cursor == null;
          }
          if (pending.isEmpty()) {
            break;
          }
          String owner = pendingOwners.poll();
          startChild(bulkId, generation, pending.poll(), owner == null || owner.isEmpty() ? null : owner, request);
          startedThisRun++;
        }
        if (running.isEmpty()) {
          break;
        }
        Workflow.await(() -> running.keySet().stream().anyMatch(Promise::isCompleted));
        collectFinished();
      }
    } catch (CanceledFailure e) {
      status = "CANCELLING";
      log.info("bulk {} cancelled; cancelling its {} running children", bulkId, running.size());
      // The scope's cancellation is one request per child, and it can be lost: a child whose start was still in flight
      // gets a request that finds no execution (the SDK drops that failure), and then runs to its end while this run
      // waits for it. So while children stay open: wait a little, then cancel each open, started child again.
      List<Child> unstarted = running.values().stream().filter(ch -> !ch.execution().isCompleted()).toList();
      boolean recancel =
          Workflow.getVersion(RECANCEL_OPEN_CHILDREN, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION;
      String reason = "bulk run " + bulkId + " cancelled";
      Workflow.newDetachedCancellationScope(
              () -> {
                long until = Workflow.currentTimeMillis() + CHILD_CANCEL_WAIT.toMillis();
                while (recancel && !allClosed() && Workflow.currentTimeMillis() < until) {
                  Workflow.await(CHILD_RECANCEL_AFTER, this::allClosed);
                  for (Child child : List.copyOf(running.values())) {
                    if (!child.closed().isCompleted() && child.execution().isCompleted()
                        && child.execution().getFailure() == null) {
                      recancel(child, reason, unstarted.contains(child));
                    }
                  }
                }
                Workflow.await(Duration.ofMillis(Math.max(1, until - Workflow.currentTimeMillis())), this::allClosed);
                collectFinished();
              })
          .run();
      status = "CANCELLED";
      throw e;
    }
    if (!pending.isEmpty() || !selectionDone) {
      runs++;
      Workflow.continueAsNew(
          request.withState(
              new BulkState(
                  cursor, selectionDone, List.copyOf(pending), generation, runs, counts(), List.copyOf(recentFailures),
                  List.copyOf(recentChildren), List.copyOf(pendingOwners))));
    }
    status = "COMPLETED";
    return progress();
  }

  @Override
  public BulkProgress progress() {
    return new BulkProgress(status, selectionDone, running.size(), counts(), runs, List.copyOf(recentFailures));
  }

  @Override
  public List<String> recentChildren() {
    return List.copyOf(recentChildren);
  }

  private BulkCounts counts() {
    return new BulkCounts(started, completed, needsReview, failed, cancelled, duplicates);
  }

  /** A running child job: its source, id and the promise of its start. */
  private record Child(
      String source,
      String id,
      Promise<io.temporal.api.common.v1.WorkflowExecution> execution,
      Promise<JobResult> closed) {}

  private boolean allClosed() {
    return running.keySet().stream().allMatch(Promise::isCompleted);
  }

  /**
   * Cancels an open child again: through Temporal when its start was in flight at the first request (so it closes
   * CANCELED), else with its {@code cancel} signal, which its workflow ignores once cancelling but which gives it a
   * new workflow task.
   */
  private void recancel(Child child, String reason, boolean wasUnstarted) {
    try {
      if (wasUnstarted) {
        Workflow.newUntypedExternalWorkflowStub(child.id()).cancel(reason);
      } else {
        Workflow.newExternalWorkflowStub(VideoPipelineWorkflow.class, child.id()).cancel(reason);
      }
    } catch (RuntimeException closedMeanwhile) {
      log.info("bulk child {}: cancellation not delivered: {}", child.id(), closedMeanwhile.getMessage());
    }
  }

  /** @param owner the tenant of the source's past job, null where the run's tenant owns the source */
  private void startChild(String bulkId, String generation, String source, String owner, BulkRequest request) {
    JobRequest job = request.jobFor(source, owner);
    // The same video may be the source of several tenants' past jobs: each tenant's gets a child of its own. (Ids of
    // children the run's own tenant owns are as before, so stored histories keep their child ids.)
    String childId = owner == null || owner.equals(request.tenant())
        ? childId(bulkId, generation, source)
        : childId(bulkId, generation + "|" + owner, source);
    Map<String, Object> memo =
        new LinkedHashMap<>(Map.of(VideoPipelineOptions.MEMO_SOURCE, job.sourceDisplay(), "bulk", bulkId));
    io.temporal.common.SearchAttributes.Builder attributes =
        io.temporal.common.SearchAttributes.newBuilder()
            .set(SearchAttributes.STATUS, JobStatus.RUNNING.name())
            .set(SearchAttributes.STEP, Step.QUEUED.name())
            .set(SearchAttributes.PRIORITY, (long) job.priority());
    if (job.tenant() != null) {
      // The source's owner, else the run's tenant, owns the child: it appears in that tenant's listing only.
      memo.put(VideoPipelineOptions.MEMO_TENANT, job.tenant());
      attributes.set(SearchAttributes.TENANT, job.tenant());
    }
    ChildWorkflowOptions options =
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(childId)
            .setTaskQueue(job.queues().cpu())
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
            .setMemo(memo)
            .setTypedSearchAttributes(attributes.build())
            .setPriority(Priority.newBuilder().setPriorityKey(job.priority()).build())
            .build();
    VideoPipelineWorkflow child = Workflow.newChildWorkflowStub(VideoPipelineWorkflow.class, options);
    Promise<JobResult> result = Async.function(child::run, job);
    running.put(result, new Child(source, childId, Workflow.getWorkflowExecution(child), result));
    started++;
    recentChildren.addLast(childId);
    while (recentChildren.size() > RECENT_CHILDREN) {
      recentChildren.removeFirst();
    }
  }

  private void collectFinished() {
    var it = running.entrySet().iterator();
    while (it.hasNext()) {
      var entry = it.next();
      Promise<JobResult> p = entry.getKey();
      if (!p.isCompleted()) {
        continue;
      }
      it.remove();
      RuntimeException failure = p.getFailure();
      if (failure == null) {
        if (p.get().status() == JobStatus.NEEDS_REVIEW) {
          needsReview++;
        } else {
          completed++;
        }
      } else if (hasCause(failure, "AlreadyStarted")) {
        duplicates++;
      } else if (hasCause(failure, CanceledFailure.class.getSimpleName())) {
        cancelled++;
      } else {
        failed++;
        Throwable root = failure;
        while (root.getCause() != null) {
          root = root.getCause();
        }
        if (recentFailures.size() == RECENT_FAILURES) {
          recentFailures.remove(0);
        }
        recentFailures.add(
            SourceDisplay.redact(entry.getValue().source()) + ": " + SourceDisplay.redactUris(root.getMessage()));
      }
    }
  }

  private static boolean hasCause(Throwable t, String simpleNamePart) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getClass().getSimpleName().contains(simpleNamePart)) {
        return true;
      }
    }
    return false;
  }

  /** The bulk id plus a hash of the source: stable across replays, retries and continue-as-new. */
  static String childId(String bulkId, String generation, String source) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest((generation + "|" + source).getBytes(StandardCharsets.UTF_8));
      return bulkId + "-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

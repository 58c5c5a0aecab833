package io.videopipe.bulk;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TerminatedFailure;
import io.temporal.failure.TimeoutFailure;
import io.videopipe.config.VideoPipeProperties;
import io.videopipe.jobs.JobListing;
import io.videopipe.pipeline.SearchAttributes;
import io.videopipe.pipeline.SourceDisplay;
import io.videopipe.pipeline.TaskQueues;
import io.videopipe.pipeline.VideoPipelineOptions;
import io.videopipe.pipeline.VideoPipelineWorkflow;
import io.videopipe.security.Caller;
import io.videopipe.storage.Storage;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Service;

/** Starts, queries and cancels bulk reprocessing workflows. */
@Service
@Profile({"local", "api"})
public class ReprocessService {
  static final String ID_PREFIX = "bulk-";
  /** Children listed per page of a run's status. */
  static final int CHILDREN_PAGE = 100;
  static final String CHILDREN_FROM_WORKFLOW =
      "the embedded Temporal test server has no visibility queries: the last "
          + BulkReprocessWorkflowImpl.RECENT_CHILDREN
          + " children the run started, from the workflow itself, without paging";
  /** Ids that may go into a visibility query as they are (bulk ids, schedule ids and their runs). */
  private static final Pattern QUERYABLE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,250}");

  private final WorkflowClient client;
  private final TaskQueues queues;
  private final Storage storage;
  private final JobListing listing;

  @Autowired
  public ReprocessService(WorkflowClient client, VideoPipeProperties props, Storage storage, JobListing listing) {
    this(client, new TaskQueues(props.queues().cpu(), props.queues().gpu()), storage, listing);
  }

  public ReprocessService(WorkflowClient client, TaskQueues queues, Storage storage, JobListing listing) {
    this.client = client;
    this.queues = queues;
    this.storage = storage;
    this.listing = listing;
  }

  public TaskQueues queues() {
    return queues;
  }

  /** Options of a bulk workflow; {@code cron} may be null; {@code tenant} (may be null) owns the run. */
  public WorkflowOptions options(String id, String cron, String tenant) {
    WorkflowOptions.Builder b =
        WorkflowOptions.newBuilder()
            .setWorkflowId(id)
            .setTaskQueue(queues.cpu())
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE);
    if (tenant != null) {
      b.setMemo(Map.of(VideoPipelineOptions.MEMO_TENANT, tenant))
          .setTypedSearchAttributes(
              io.temporal.common.SearchAttributes.newBuilder().set(SearchAttributes.TENANT, tenant).build());
    }
    if (cron != null) {
      b.setCronSchedule(cron);
    }
    return b.build();
  }

  /**
   * The request as it is started: checked against this service's storage (a prefix must name a place in it), with the
   * task queues of this deployment.
   *
   * @throws IllegalArgumentException naming why the selection cannot work
   */
  public BulkRequest admit(BulkRequest r) {
    if (r.selection().byPrefix()) {
      BulkReprocessActivitiesImpl.prefixUri(storage, r.selection().prefix());
    }
    return new BulkRequest(r.selection(), r.concurrency(), r.engine(), r.priority(), r.language(), r.webhookUrl(),
        r.requestedBy(), queues(), r.pageSize(), r.childrenPerRun(), r.state(), r.tenant());
  }

  public String start(BulkRequest request) {
    String id = ID_PREFIX + UUID.randomUUID();
    BulkReprocessWorkflow wf = client.newWorkflowStub(BulkReprocessWorkflow.class, options(id, null, request.tenant()));
    WorkflowClient.start(wf::run, admit(request));
    started(id);
    return id;
  }

  /** Records a bulk run this process started, for the job listing of a server without visibility. */
  void started(String bulkId) {
    listing.startedBulk(bulkId);
  }

  /**
   * Progress by query, or the final result once the run has closed.
   *
   * @throws BulkNotFoundException when there is no such run, or another tenant owns it (caller null: no check)
   */
  public BulkView view(String id, Caller caller) {
    return view(id, caller, null);
  }

  /**
   * As {@link #view(String, Caller)}, with the page of children after {@code childrenPageToken} (null for the first).
   */
  public BulkView view(String id, Caller caller, String childrenPageToken) {
    WorkflowStub stub = client.newUntypedWorkflowStub(id);
    WorkflowExecutionStatus status;
    try {
      WorkflowExecutionDescription d = stub.describe();
      if (caller != null && !caller.mayAccess(tenant(d))) {
        throw new BulkNotFoundException(id);
      }
      status = d.getStatus();
    } catch (WorkflowNotFoundException e) {
      throw new BulkNotFoundException(id);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND || e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
        throw new BulkNotFoundException(id);
      }
      throw e;
    }
    BulkProgress progress;
    try {
      progress = stub.query("progress", BulkProgress.class);
    } catch (RuntimeException e) {
      progress = null;
    }
    String reason = switch (status) {
      case WORKFLOW_EXECUTION_STATUS_RUNNING, WORKFLOW_EXECUTION_STATUS_COMPLETED,
          WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW -> null;
      default -> closeReason(stub);
    };
    int started = progress == null ? 0 : progress.counts().started();
    return new BulkView(
        id, status.name().replace("WORKFLOW_EXECUTION_STATUS_", ""), reason, progress,
        children(id, stub, started, childrenPageToken));
  }

  /**
   * Why a closed run did not complete, from its close event (through the client's converter, so an encrypted failure
   * is read too), with any URI in it redacted.
   */
  private static String closeReason(WorkflowStub stub) {
    try {
      stub.getResult(5, TimeUnit.SECONDS, BulkProgress.class);
      return null;
    } catch (io.temporal.client.WorkflowServiceException e) {
      // Not the run's outcome but the server's failure to give it.
      return "the run's outcome could not be read: " + SourceDisplay.redactUris(String.valueOf(e.getCause()));
    } catch (WorkflowException e) {
      return SourceDisplay.redactUris(reasonOf(e.getCause()));
    } catch (TimeoutException | RuntimeException e) {
      return "the run's outcome could not be read: " + e.getMessage();
    }
  }

  /** A failure as a person reads it: what failed (activity or child), the root cause's message and its type. */
  static String reasonOf(Throwable failure) {
    if (failure instanceof TerminatedFailure t) {
      return "terminated: " + t.getOriginalMessage();
    }
    if (failure instanceof TimeoutFailure t) {
      return "timed out (" + t.getTimeoutType().name().replace("TIMEOUT_TYPE_", "").toLowerCase() + " timeout)";
    }
    if (failure instanceof CanceledFailure) {
      return "cancelled";
    }
    String where = "";
    Throwable root = failure;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (where.isEmpty() && t instanceof ActivityFailure a) {
        where = "activity " + a.getActivityType() + " failed: ";
      } else if (where.isEmpty() && t instanceof ChildWorkflowFailure c) {
        where = "child " + c.getExecution().getWorkflowId() + " failed: ";
      }
      root = t;
    }
    if (root instanceof ApplicationFailure af) {
      return where + af.getOriginalMessage() + (af.getType() == null ? "" : " (" + af.getType() + ")");
    }
    if (root instanceof TimeoutFailure t) {
      return where + "timed out (" + t.getTimeoutType().name().replace("TIMEOUT_TYPE_", "").toLowerCase() + ")";
    }
    return where + (root instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(root));
  }

  /**
   * The run's child jobs: through visibility (children carry {@code ParentWorkflowId}, paged) where the server has
   * it, else the last ones the workflow itself started.
   */
  private BulkChildren children(String id, WorkflowStub stub, int started, String pageToken) {
    if (QUERYABLE_ID.matcher(id).matches()) {
      try {
        ListWorkflowExecutionsResponse page =
            client
                .getWorkflowServiceStubs()
                .blockingStub()
                .listWorkflowExecutions(
                    ListWorkflowExecutionsRequest.newBuilder()
                        .setNamespace(client.getOptions().getNamespace())
                        .setQuery("WorkflowType = '" + VideoPipelineWorkflow.TYPE + "' AND ParentWorkflowId = '"
                            + id + "'")
                        .setPageSize(CHILDREN_PAGE)
                        .setNextPageToken(
                            pageToken == null || pageToken.isBlank()
                                ? com.google.protobuf.ByteString.EMPTY
                                : com.google.protobuf.ByteString.copyFrom(Base64.getUrlDecoder().decode(pageToken)))
                        .build());
        List<String> ids = page.getExecutionsList().stream().map(e -> e.getExecution().getWorkflowId()).toList();
        String next =
            page.getNextPageToken().isEmpty()
                ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString(page.getNextPageToken().toByteArray());
        return new BulkChildren(started, ids, next, null);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
          throw e;
        }
      } catch (IllegalArgumentException badToken) {
        throw new IllegalArgumentException("childrenPageToken is not a page token of this run's children");
      }
    }
    List<String> recent;
    try {
      recent = stub.query("recentChildren", List.class).stream().map(String::valueOf).toList();
    } catch (RuntimeException e) {
      recent = List.of(); // a run from before the query existed
    }
    return new BulkChildren(started, recent, null, CHILDREN_FROM_WORKFLOW);
  }

  private static String tenant(WorkflowExecutionDescription d) {
    String t = d.getTypedSearchAttributes().get(SearchAttributes.TENANT);
    if (t == null) {
      Object memo = d.getMemo(VideoPipelineOptions.MEMO_TENANT, String.class);
      t = memo instanceof String s ? s : null;
    }
    return t;
  }

  public void cancel(String id, Caller caller) {
    view(id, caller);
    client.newUntypedWorkflowStub(id).cancel("bulk reprocessing cancelled through the API");
  }

  /**
   * A bulk run: the Temporal execution status, why it did not complete ({@code reason}: null while running and once
   * completed), the workflow's own progress (null when it cannot answer) and its child jobs.
   */
  public record BulkView(String id, String execution, String reason, BulkProgress progress, BulkChildren children) {}

  /**
   * A run's child job ids: one page of them ({@code nextPageToken} null on the last), {@code started} of them in all;
   * {@code degraded} says why the list may be partial.
   */
  public record BulkChildren(int started, List<String> ids, String nextPageToken, String degraded) {}
}

package io.videopipe.jobs;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.videopipe.config.PriceProperties;
import io.videopipe.config.VideoPipeProperties;
import io.videopipe.cost.CostModel;
import io.videopipe.cost.CostRequest;
import io.videopipe.pipeline.ErrorInfo;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.pipeline.JobIds;
import io.videopipe.pipeline.JobReadout;
import io.videopipe.pipeline.JobRequest;
import io.videopipe.pipeline.JobResult;
import io.videopipe.pipeline.JobStatus;
import io.videopipe.pipeline.Progress;
import io.videopipe.pipeline.VideoPipelineOptions;
import io.videopipe.pipeline.VideoPipelineWorkflow;
import io.videopipe.download.SourceResolver;
import io.videopipe.notify.WebhookDelivery;
import io.videopipe.notify.WebhookReceipt;
import io.videopipe.notify.WebhookTargets;
import io.videopipe.route.EngineMode;
import io.videopipe.temporal.TemporalUi;
import io.videopipe.worker.CpuWorkerConfiguration;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Service;

/** Starts jobs and reads their state: the one place the REST API and the process command talk to Temporal. */
@Service
@Profile({"local", "api"})
public class JobService {
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
  private static final ObjectMapper CANONICAL = new ObjectMapper();
  /** Memo key: SHA-256 of the request that started a job under an Idempotency-Key. */
  static final String MEMO_REQUEST_HASH = "requestHash";
  /** Bound on reading a closed execution's result (it is already there; this only guards a stuck connection). */
  private static final java.time.Duration RESULT_WAIT = java.time.Duration.ofSeconds(5);

  private final WorkflowClient client;
  private final VideoPipeProperties props;
  private final JobListing listing;
  private final CostModel costModel;
  private final TemporalUi ui;
  private final SourceResolver sources;
  private final boolean judgesLocalSources;
  private final WebhookTargets webhooks;

  public JobService(
      WorkflowClient client,
      VideoPipeProperties props,
      JobListing listing,
      PriceProperties prices,
      TemporalUi ui,
      org.springframework.core.env.Environment env) {
    this.sources = SourceResolver.forAdmission(CpuWorkerConfiguration.downloadSettings(props));
    // Local paths are judged by the download worker's own settings (its local roots). Only a role that downloads in
    // this process (local, process) has them; an api role in front of separate workers leaves them to the download.
    this.judgesLocalSources = env.acceptsProfiles(org.springframework.core.env.Profiles.of("local"));
    this.webhooks = WebhookTargets.of(props.webhooks().settings());
    this.client = client;
    this.ui = ui;
    this.props = props;
    this.listing = listing;
    this.costModel = new CostModel(prices.toPrices(), CostModel.Assumptions.defaults());
  }

  /** Validates a submission and starts its workflow without a tenant (the process command); returns the job id. */
  public String start(JobSubmission submission, String requestedBy) {
    return submit(submission, requestedBy, null, null).jobId();
  }

  /**
   * The job a submission started, and whether this answer repeats an earlier submission with the same
   * {@code Idempotency-Key}.
   */
  public record Started(String jobId, boolean replayed) {}

  /**
   * Validates a submission and starts its workflow. With an {@code idempotencyKey}, the job id is derived from the
   * requester and the key (unless the submission names one), so a retried request finds the job the first one
   * started, even after an API restart: Temporal refuses a second workflow with that id, and the job's memo holds a
   * hash of the first request to tell a retry from a different request reusing the key.
   *
   * @param tenant the tenant that owns the job (memo and search attribute VpTenant); null for none
   * @throws IdempotencyKeyReusedException when the key was first used with a different request
   */
  public Started submit(JobSubmission submission, String requestedBy, String idempotencyKey, String tenant) {
    if (submission == null || submission.sourceUrl() == null || submission.sourceUrl().isBlank()) {
      throw new IllegalArgumentException("sourceUrl is required");
    }
    String requestHash = null;
    String jobId = submission.jobId() == null || submission.jobId().isBlank() ? null : submission.jobId();
    if (idempotencyKey != null) {
      if (!IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
        throw new IllegalArgumentException("Idempotency-Key must be 1-255 visible ASCII characters");
      }
      requestHash = requestHash(submission, requestedBy);
      if (jobId == null) {
        jobId = idempotentJobId(requestedBy, idempotencyKey);
      }
    }
    if (jobId == null) {
      jobId = newJobId();
    }
    JobIds.require(jobId);
    // JobRequest validates every field (JobRequest.validate): the one set of rules for REST, CLI and workflow. The
    // download and the webhook apply their rules again (the download at connect time); here they refuse at once.
    String source = submission.sourceUrl().trim();
    String scheme = io.videopipe.download.SourceUris.scheme(source);
    if (judgesLocalSources || (scheme != null && !scheme.equals("file"))) {
      sources.admit(source);
    }
    if (submission.webhookUrl() != null && !submission.webhookUrl().isBlank()) {
      try {
        webhooks.admit(submission.webhookUrl().trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("webhookUrl refused: " + e.getMessage());
      }
    }
    JobRequest request =
        JobRequest.builder(submission.sourceUrl().trim())
            .engine(EngineMode.parse(submission.engine()))
            .priority(submission.priority() == null ? JobRequest.DEFAULT_PRIORITY : submission.priority())
            .language(submission.language())
            .highlights(submission.highlights())
            .keepSource(Boolean.TRUE.equals(submission.keepSource()))
            .requestedBy(requestedBy)
            .queues(props.queues().taskQueues())
            .budgetUsd(submission.budgetUsd())
            .clips(submission.clips())
            .webhookUrl(submission.webhookUrl())
            .audioTrack(submission.audioTrack())
            .tenant(tenant)
            .build();
    Map<String, Object> memo = requestHash == null ? null : Map.of(MEMO_REQUEST_HASH, requestHash);
    VideoPipelineWorkflow workflow =
        client.newWorkflowStub(
            VideoPipelineWorkflow.class, VideoPipelineOptions.forJob(jobId, request, memo, props.apiUrl()));
    try {
      WorkflowClient.start(workflow::run, request);
    } catch (WorkflowExecutionAlreadyStarted e) {
      if (requestHash != null) {
        String first = firstRequestHash(jobId);
        if (requestHash.equals(first)) {
          return new Started(jobId, true);
        }
        if (first != null) {
          throw new IdempotencyKeyReusedException(
              "Idempotency-Key '" + idempotencyKey + "' was first used for job '" + jobId
                  + "' with a different request; send a new key for a new job");
        }
      }
      throw new JobConflictException(
          "Job already exists", "a job with id '" + jobId + "' already exists; job ids are never reused");
    }
    listing.started(jobId);
    return new Started(jobId, false);
  }

  private String firstRequestHash(String jobId) {
    try {
      Object hash = client.newUntypedWorkflowStub(jobId).describe().getMemo(MEMO_REQUEST_HASH, String.class);
      return hash instanceof String h ? h : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Same requester and Idempotency-Key, same id; the requester is part of it so keys of different clients never meet. */
  static String idempotentJobId(String requestedBy, String idempotencyKey) {
    return "idem-" + sha256Hex(requestedBy + "\n" + idempotencyKey).substring(0, 32);
  }

  /** The submission as canonical JSON (fields in declaration order), with who sent it. */
  static String requestHash(JobSubmission submission, String requestedBy) {
    try {
      return sha256Hex(requestedBy + "\n" + CANONICAL.writeValueAsString(submission));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256Hex(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Where the job is now, its result once it ended. Never waits on the execution: one describe (status, search
   * attributes, times), the progress query while it runs, and the result only once the execution has closed. A job
   * whose pipeline has ended while its execution is still open (its webhook being delivered) answers its final status
   * from the query, with the result to follow when the execution closes.
   */
  public JobView view(String jobId) {
    DescribeWorkflowExecutionResponse described = describe(jobId);
    JobSummary summary = JobListing.summary(described.getWorkflowExecutionInfo());
    VideoPipelineWorkflow workflow = client.newWorkflowStub(VideoPipelineWorkflow.class, jobId);
    if (summary.closedAt() == null) {
      JobReadout r = readout(workflow); // one query: a read is one describe and one round trip to the worker
      Progress p = r.progress();
      JobResult ended = p.status() == JobStatus.RUNNING ? null : r.finalResult();
      if (ended == null) {
        double soFar = CostModel.total(costModel.lines(new CostRequest(jobId, r.stepTimings(), 0, 0, List.of())));
        return new JobView(
            jobId, p.status(), p.step().name(), p.percent(), p.engine(), p.priority(), p.detail(), soFar, null, null,
            summary.startedAt(), null, r.webhook(), links(jobId));
      }
      return ended(jobId, summary, ended, p.step().name(), withRetries(r.webhook(), described));
    }
    return ended(jobId, summary, closedResult(jobId), summary.step(), webhook(workflow));
  }

  private JobView ended(String jobId, JobSummary summary, JobResult result, String step, WebhookDelivery webhook) {
    String engine = result.transcription() != null && result.transcription().engine() != null
        ? result.transcription().engine()
        : summary.engine();
    int percent = result.status() == JobStatus.COMPLETED || result.status() == JobStatus.NEEDS_REVIEW ? 100 : 0;
    Double cost = result.cost() == null ? summary.costUsd() : Double.valueOf(result.cost().totalUsd());
    int priority = summary.priority() == null ? JobRequest.DEFAULT_PRIORITY : summary.priority().intValue();
    String detail = result.error() == null ? null : result.error().message();
    return new JobView(
        jobId, result.status(), step, percent, engine, priority, detail, cost, result, result.error(),
        summary.startedAt(), summary.closedAt(), webhook, links(jobId, result.clips()));
  }

  private Map<String, String> links(String jobId) {
    return ui.present() ? Map.of("temporalUi", ui.workflowUrl(jobId)) : null;
  }

  /** The Temporal UI's page and, once the job has ended, every clip file's download link by file name. */
  private Map<String, String> links(String jobId, List<io.videopipe.clip.RenderedClip> clips) {
    Map<String, String> links = new java.util.LinkedHashMap<>(ClipFile.links(jobId, clips));
    if (ui.present()) {
      links.put("temporalUi", ui.workflowUrl(jobId));
    }
    return links.isEmpty() ? null : links;
  }

  /**
   * A webhook still being retried: its attempts so far and the last HTTP status, from the execution's pending
   * activity (the workflow records the outcome only once delivery has ended).
   */
  private WebhookDelivery withRetries(WebhookDelivery webhook, DescribeWorkflowExecutionResponse described) {
    if (webhook == null || !WebhookDelivery.PENDING.equals(webhook.state())) {
      return webhook;
    }
    for (PendingActivityInfo pending : described.getPendingActivitiesList()) {
      if (!"NotifyWebhook".equals(pending.getActivityType().getName()) || !pending.hasLastFailure()) {
        continue;
      }
      int done = pending.getAttempt() - 1;
      Integer lastStatus = null;
      // Through the client's converter: with the codec on, the failure's message and details are encrypted.
      RuntimeException last = client.getOptions().getDataConverter().failureToException(pending.getLastFailure());
      String message = last instanceof ApplicationFailure af ? af.getOriginalMessage() : last.getMessage();
      if (last instanceof ApplicationFailure af && af.getDetails() != null && af.getDetails().getSize() > 0) {
        try {
          WebhookReceipt receipt = af.getDetails().get(WebhookReceipt.class);
          lastStatus = receipt == null || receipt.httpStatus() == 0 ? null : receipt.httpStatus();
          done = Math.max(done, receipt == null ? 0 : receipt.attempt());
        } catch (RuntimeException unreadable) {
          // an older worker's failure without a receipt: the attempt count still holds
        }
      }
      return new WebhookDelivery(WebhookDelivery.PENDING, done, lastStatus, null, "retrying: " + message);
    }
    return webhook;
  }

  /** The job's readout; from its separate queries where the worker predates {@code readout}. */
  private static JobReadout readout(VideoPipelineWorkflow workflow) {
    try {
      return workflow.readout();
    } catch (io.temporal.client.WorkflowQueryException e) {
      Progress p = workflow.progress();
      return new JobReadout(p, workflow.stepTimings(), p.status() == JobStatus.RUNNING ? null : workflow.finalResult(),
          webhook(workflow));
    }
  }

  /** The webhook's delivery record; null for a job without a webhook (or one closed before it was recorded). */
  private static WebhookDelivery webhook(VideoPipelineWorkflow workflow) {
    try {
      return workflow.webhookDelivery();
    } catch (RuntimeException e) {
      return null; // a history from before the record existed
    }
  }

  /** The result of a closed execution: answered at once, since nothing is left to wait for. */
  private JobResult closedResult(String jobId) {
    WorkflowStub stub = client.newUntypedWorkflowStub(jobId);
    try {
      return stub.getResult(RESULT_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS, JobResult.class);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("job '" + jobId + "' closed but its result could not be read", e);
    } catch (WorkflowException e) {
      return failedOrCancelled(jobId, e);
    }
  }

  /** Blocks until the job ends and returns its result, partial for failed and cancelled jobs. */
  public JobResult awaitResult(String jobId) {
    WorkflowStub stub = client.newUntypedWorkflowStub(jobId);
    try {
      return stub.getResult(JobResult.class);
    } catch (WorkflowException e) {
      return failedOrCancelled(jobId, e);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw new JobNotFoundException(jobId);
      }
      throw e;
    }
  }

  private JobResult failedOrCancelled(String jobId, WorkflowException e) {
    JobResult result = outcomeOfFailure(jobId, e);
    if (result.status() == JobStatus.CANCELLED && result.source() == null) {
      // Temporal's own cancel closes without details; the workflow still answers why it stopped.
      String detail = lastDetail(jobId);
      if (detail != null) {
        return new JobResult(jobId, JobStatus.CANCELLED, null, null, null, null, null, null, null, Map.of(),
            new ErrorInfo(ErrorTypes.CANCELLED, detail));
      }
    }
    return result;
  }

  /**
   * Cancels through Temporal, so the execution ends CANCELED in the Web UI with the reason in its history; the
   * workflow's compensation deletes the job's intermediate artifacts.
   *
   * @throws JobConflictException when the job has ended ({@link JobView#open})
   */
  public void cancel(String jobId, String reason) {
    String ended = "job '" + jobId + "' has already ended; only a running job can be cancelled";
    requireOpen(jobId, ended);
    try {
      client.newUntypedWorkflowStub(jobId).cancel(reason);
    } catch (WorkflowNotFoundException e) {
      // It ended between the check and the cancel.
      throw new JobConflictException("Job has ended", ended);
    }
  }

  /**
   * Sends the running job's {@code reprioritize} signal: steps scheduled after it run with the new priority key.
   *
   * @throws JobConflictException when the job has ended ({@link JobView#open})
   */
  public void reprioritize(String jobId, int priority) {
    requirePriority(priority);
    String ended = "job '" + jobId + "' has already ended; only a running job can be reprioritised";
    requireOpen(jobId, ended);
    try {
      client.newWorkflowStub(VideoPipelineWorkflow.class, jobId).reprioritize(priority);
    } catch (WorkflowNotFoundException e) {
      // It ended between the check and the signal.
      throw new JobConflictException("Job has ended", ended);
    }
  }

  /**
   * Refuses to steer a job that has ended, including one whose pipeline has ended while its execution is still open
   * delivering the webhook: a cancel or a new priority would change nothing there, so accepting it would mislead.
   */
  private void requireOpen(String jobId, String ended) {
    boolean open;
    try {
      open = view(jobId).open();
    } catch (JobNotFoundException e) {
      throw e;
    } catch (RuntimeException unanswered) {
      // No worker answers the job's query (none polling yet): an open execution has not reported an end.
      open = executionStatus(jobId) == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    }
    if (!open) {
      throw new JobConflictException("Job has ended", ended);
    }
  }

  /** The priority key, checked: 1 (highest) to 5. */
  static int requirePriority(Integer priority) {
    if (priority == null) {
      throw new IllegalArgumentException("priority is required: 1 (highest) to 5");
    }
    return JobRequest.requirePriority(priority);
  }

  private String lastDetail(String jobId) {
    try {
      return client.newWorkflowStub(VideoPipelineWorkflow.class, jobId).progress().detail();
    } catch (RuntimeException e) {
      return null;
    }
  }

  WorkflowExecutionStatus executionStatus(String jobId) {
    return describe(jobId).getWorkflowExecutionInfo().getStatus();
  }

  private DescribeWorkflowExecutionResponse describe(String jobId) {
    try {
      return client
          .getWorkflowServiceStubs()
          .blockingStub()
          .describeWorkflowExecution(
              DescribeWorkflowExecutionRequest.newBuilder()
                  .setNamespace(client.getOptions().getNamespace())
                  .setExecution(WorkflowExecution.newBuilder().setWorkflowId(jobId))
                  .build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw new JobNotFoundException(jobId);
      }
      throw e;
    }
  }

  /** A failed job carries its partial result in the failure's details; the root cause names what went wrong. */
  static JobResult outcomeOfFailure(String jobId, WorkflowException e) {
    if (e instanceof WorkflowNotFoundException) {
      throw new JobNotFoundException(jobId);
    }
    if (e instanceof WorkflowServiceException) {
      // The server did not hand over the outcome (down, slow, refusing the call): that says nothing of the job, so it
      // must not read as a failed one; ApiErrors answers it (503 when Temporal is unavailable).
      throw e;
    }
    Throwable cause = e.getCause();
    JobResult partial = null;
    if (cause instanceof ApplicationFailure af && af.getDetails() != null) {
      partial = detail(() -> af.getDetails().get(JobResult.class));
    } else if (cause instanceof CanceledFailure cf && cf.getDetails() != null) {
      partial = detail(() -> cf.getDetails().get(JobResult.class));
    }
    boolean cancelled = cause instanceof CanceledFailure;
    ErrorInfo error = partial != null && partial.error() != null ? partial.error() : rootError(cause, cancelled);
    JobStatus status = cancelled ? JobStatus.CANCELLED : JobStatus.FAILED;
    if (partial == null) {
      return new JobResult(jobId, status, null, null, null, null, null, null, null, Map.of(), error);
    }
    return new JobResult(
        jobId,
        status,
        partial.source(),
        partial.transcription(),
        partial.highlights(),
        partial.clips(),
        partial.qa(),
        partial.cost(),
        partial.artifacts(),
        partial.timings(),
        error);
  }

  private interface Detail {
    JobResult get();
  }

  private static JobResult detail(Detail d) {
    try {
      return d.get();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static ErrorInfo rootError(Throwable cause, boolean cancelled) {
    Throwable t = cause;
    ApplicationFailure deepest = null;
    while (t != null) {
      if (t instanceof ApplicationFailure af) {
        deepest = af;
      }
      t = t.getCause();
    }
    if (deepest != null) {
      return new ErrorInfo(deepest.getType(), deepest.getOriginalMessage());
    }
    String message = cause instanceof TemporalFailure tf ? tf.getOriginalMessage() : String.valueOf(cause);
    return new ErrorInfo(cancelled ? ErrorTypes.CANCELLED : cause.getClass().getSimpleName(), message);
  }

  static String newJobId() {
    return "job-"
        + LocalDateTime.now(ZoneOffset.UTC).format(ID_TIME)
        + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
  }
}

package io.videopipe.pipeline;

import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.Priority;
import io.videopipe.route.EngineMode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@link WorkflowOptions} every client must use to start a {@link VideoPipelineWorkflow}, so that a job id is
 * unique, the Web UI shows the job before its first step, and the job's priority applies from the start.
 */
public final class VideoPipelineOptions {
  public static final String MEMO_SOURCE = "source";
  public static final String MEMO_REQUESTED_BY = "requestedBy";
  /** Memo key the workflow sets once it has chosen an engine: the route plan's one-line reason. */
  public static final String MEMO_ROUTE = "route";
  /** Memo key: the tenant that owns the job, also search attribute {@code VpTenant}. */
  public static final String MEMO_TENANT = "tenant";

  private VideoPipelineOptions() {}

  /**
   * Options for one job:
   *
   * <ul>
   *   <li>workflow id = {@code jobId}; id reuse policy REJECT_DUPLICATE and conflict policy FAIL, so a second start
   *       with the same id throws {@code WorkflowExecutionAlreadyStarted}, whether the first run is open or closed;
   *   <li>task queue = {@code request.queues().cpu()}, where the workflow worker polls;
   *   <li>memo: {@value #MEMO_SOURCE} and {@value #MEMO_REQUESTED_BY} (when set) plus {@code extraMemo};
   *   <li>search attributes STATUS=RUNNING, STEP=QUEUED, PRIORITY, TENANT when the request has one (registered on the server beforehand, see {@link
   *       SearchAttributes#definitions()});
   *   <li>priority key = {@code request.priority()};
   *   <li>the Web UI's static summary (the source's name, without credentials: {@link #summary}) and static details
   *       (Markdown: the requested route and links to the job's REST resources: {@link #details}).
   * </ul>
   *
   * @param extraMemo more memo entries, may be null; values must be serialisable by the data converter
   * @param apiBaseUrl where the REST API answers, for the links in the static details (e.g. {@code
   *     http://127.0.0.1:8080}); null or blank for no links
   */
  public static WorkflowOptions forJob(String jobId, JobRequest request, Map<String, ?> extraMemo, String apiBaseUrl) {
    if (jobId == null || jobId.isBlank()) {
      throw new IllegalArgumentException("jobId is required");
    }
    Map<String, Object> memo = new LinkedHashMap<>();
    if (extraMemo != null) {
      memo.putAll(extraMemo);
    }
    memo.put(MEMO_SOURCE, request.sourceDisplay());
    if (request.requestedBy() != null) {
      memo.put(MEMO_REQUESTED_BY, request.requestedBy());
    }
    if (request.tenant() != null) {
      memo.put(MEMO_TENANT, request.tenant());
    }
    io.temporal.common.SearchAttributes.Builder attributes =
        io.temporal.common.SearchAttributes.newBuilder()
            .set(SearchAttributes.STATUS, JobStatus.RUNNING.name())
            .set(SearchAttributes.STEP, Step.QUEUED.name())
            .set(SearchAttributes.PRIORITY, (long) request.priority());
    if (request.tenant() != null) {
      attributes.set(SearchAttributes.TENANT, request.tenant());
    }
    return WorkflowOptions.newBuilder()
        .setWorkflowId(jobId)
        .setTaskQueue(request.queues().cpu())
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
        .setMemo(memo)
        .setTypedSearchAttributes(attributes.build())
        .setPriority(Priority.newBuilder().setPriorityKey(request.priority()).build())
        .setStaticSummary(summary(request))
        .setStaticDetails(details(jobId, request, apiBaseUrl))
        .build();
  }

  /** Longest static summary the server accepts, in UTF-8 bytes. */
  static final int SUMMARY_MAX_BYTES = 200;

  /** One line for the workflow list and the top of the job's page: the source's name and the requested engine. */
  static String summary(JobRequest request) {
    String engine = request.engine().name().toLowerCase(Locale.ROOT);
    String tail = " · " + engine;
    String name = SourceDisplay.name(request.sourceUri());
    int room = SUMMARY_MAX_BYTES - tail.getBytes(StandardCharsets.UTF_8).length;
    return truncate(name, room) + tail;
  }

  /**
   * Markdown for the job's page: what was asked (the engine is chosen after the download, from the audio's length and
   * the workers polling; the choice and its reason are then in the memo's {@value #MEMO_ROUTE} and the current
   * details), and links to the REST resources that hold its artifacts.
   */
  static String details(String jobId, JobRequest request, String apiBaseUrl) {
    StringBuilder md = new StringBuilder();
    md.append("**Source** `").append(SourceDisplay.redact(request.sourceUri()).replace("`", "'")).append("`\n\n");
    md.append("**Route plan**\n\n");
    md.append("- engine requested: `").append(request.engine().name().toLowerCase(Locale.ROOT)).append("` (")
        .append(ROUTE_RULE.get(request.engine())).append(")\n");
    md.append("- priority ").append(request.priority())
        .append(request.priority() <= 2 ? " (engines ranked by speed)" : " (engines ranked by price)").append("\n");
    md.append("- transcription budget: ")
        .append(request.budgetUsd() == null ? "none" : String.format(Locale.ROOT, "%.4f USD", request.budgetUsd()))
        .append("\n");
    md.append("- queues: workflow and CPU steps on `").append(request.queues().cpu()).append("`, Parakeet on `")
        .append(request.queues().gpu()).append("`\n");
    if (apiBaseUrl != null && !apiBaseUrl.isBlank()) {
      String job = apiBaseUrl.replaceAll("/+$", "") + "/api/v1/jobs/" + jobId;
      md.append("\n**Artifacts** (REST API, send your API key)\n\n");
      md.append("- [job status and result](").append(job).append(")\n");
      md.append("- [transcript (SRT)](").append(job).append("/transcript?format=srt)")
          .append(" · [VTT](").append(job).append("/transcript?format=vtt)")
          .append(" · [JSON](").append(job).append("/transcript)\n");
      md.append("- [highlights](").append(job).append("/highlights)\n");
      md.append("- [QA report](").append(job).append("/qa)\n");
      md.append("- [cost](").append(job).append("/cost)\n");
    }
    return md.toString();
  }

  private static final Map<EngineMode, String> ROUTE_RULE = Map.of(
      EngineMode.AUTO, "the cheapest available accurate engine, Parakeet when a GPU worker polls; local Vosk last",
      EngineMode.LOCAL, "offline Vosk on the CPU workers",
      EngineMode.PARAKEET, "Parakeet on a GPU worker; the other engines if none takes it in time",
      EngineMode.DEEPGRAM, "the hosted Deepgram engine; the other engines if it fails",
      EngineMode.HYBRID, "Parakeet, with its low-confidence stretches re-transcribed by Deepgram");

  private static String truncate(String s, int maxBytes) {
    if (s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
      return s;
    }
    StringBuilder b = new StringBuilder();
    int bytes = 3; // the ellipsis
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + n > maxBytes) {
        break;
      }
      b.appendCodePoint(cp);
      bytes += n;
      i += Character.charCount(cp);
    }
    return b.append("...").toString();
  }
}

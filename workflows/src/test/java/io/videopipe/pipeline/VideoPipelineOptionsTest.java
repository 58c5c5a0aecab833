package io.videopipe.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowOptions;
import io.videopipe.route.EngineMode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VideoPipelineOptionsTest {

  @Test
  void forJobSetsIdQueuePoliciesMemoSearchAttributesAndPriority() {
    JobRequest request =
        JobRequest.builder("gs://bucket/talk.mp4").priority(2).requestedBy("bob")
            .queues(new TaskQueues("cpu-a", "gpu-a")).build();

    WorkflowOptions options = VideoPipelineOptions.forJob("job-7", request, Map.of("tenant", "acme"), null);

    assertThat(options.getWorkflowId()).isEqualTo("job-7");
    assertThat(options.getTaskQueue()).isEqualTo("cpu-a");
    assertThat(options.getWorkflowIdReusePolicy())
        .isEqualTo(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE);
    assertThat(options.getWorkflowIdConflictPolicy())
        .isEqualTo(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL);
    assertThat(options.getMemo())
        .containsExactly(
            Map.entry("tenant", "acme"),
            Map.entry(VideoPipelineOptions.MEMO_SOURCE, "gs://bucket/talk.mp4"),
            Map.entry(VideoPipelineOptions.MEMO_REQUESTED_BY, "bob"));
    assertThat(options.getTypedSearchAttributes().get(SearchAttributes.STATUS)).isEqualTo("RUNNING");
    assertThat(options.getTypedSearchAttributes().get(SearchAttributes.STEP)).isEqualTo("QUEUED");
    assertThat(options.getTypedSearchAttributes().get(SearchAttributes.PRIORITY)).isEqualTo(2L);
    assertThat(options.getPriority().getPriorityKey()).isEqualTo(2);
  }

  @Test
  void forJobLeavesOutAMissingRequesterAndRejectsABlankId() {
    WorkflowOptions options = VideoPipelineOptions.forJob("job-8", JobRequest.of("/videos/a.mp4"), null, null);
    assertThat(options.getMemo()).containsOnlyKeys(VideoPipelineOptions.MEMO_SOURCE);
    assertThat(options.getTaskQueue()).isEqualTo(TaskQueues.DEFAULT_CPU);

    assertThatThrownBy(() -> VideoPipelineOptions.forJob(" ", JobRequest.of("/videos/a.mp4"), null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theWebUiSummaryNamesTheSourceWithoutItsCredentials() {
    JobRequest signed = JobRequest.builder("https://alice:s3cret@media.example.com/talks/keynote.mp4?X-Goog-Signature=abc")
        .engine(EngineMode.DEEPGRAM).build();
    WorkflowOptions options = VideoPipelineOptions.forJob("job-9", signed, null, "http://127.0.0.1:8080/");

    assertThat(options.getStaticSummary()).isEqualTo("keynote.mp4 from media.example.com · deepgram");
    assertThat(options.getStaticDetails())
        .contains("`https://media.example.com/talks/keynote.mp4`", "engine requested: `deepgram`",
            "[job status and result](http://127.0.0.1:8080/api/v1/jobs/job-9)",
            "(http://127.0.0.1:8080/api/v1/jobs/job-9/transcript?format=srt)")
        .doesNotContain("s3cret", "alice", "Signature");
    assertThat(VideoPipelineOptions.forJob("job-10", JobRequest.of("/videos/a.mp4"), null, null).getStaticDetails())
        .contains("`/videos/a.mp4`").doesNotContain("](");
  }

  @Test
  void theSummaryFitsTheServersLimitInUtf8Bytes() {
    String name = "é".repeat(300) + ".mp4";
    String summary = VideoPipelineOptions.forJob("job-11", JobRequest.of("/videos/" + name), null, null)
        .getStaticSummary();
    assertThat(summary.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(VideoPipelineOptions.SUMMARY_MAX_BYTES);
    assertThat(summary).startsWith("ééé").endsWith("... · auto");
  }

  @Test
  void searchAttributeDefinitionsCoverEveryKey() {
    assertThat(SearchAttributes.definitions())
        .containsExactly(
            Map.entry("VpStep", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD),
            Map.entry("VpEngine", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD),
            Map.entry("VpPriority", IndexedValueType.INDEXED_VALUE_TYPE_INT),
            Map.entry("VpCostUsd", IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE),
            Map.entry("VpStatus", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD),
            Map.entry("VpRoute", IndexedValueType.INDEXED_VALUE_TYPE_TEXT),
            Map.entry("VpTenant", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
  }

  @Test
  void pipelineTimeoutsRejectNonPositiveValues() {
    assertThat(PipelineTimeouts.defaults().heartbeat()).hasSeconds(15);
    assertThat(PipelineTimeouts.defaults().gpuScheduleToStart()).hasMinutes(2);
    assertThatThrownBy(() -> PipelineTimeouts.defaults().withHeartbeat(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

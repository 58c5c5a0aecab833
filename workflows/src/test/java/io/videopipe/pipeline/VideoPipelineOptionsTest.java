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

    WorkflowOptions options = VideoPipelineOptions.forJob("job-7", request, Map.of("tenant", "acme"));

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
    WorkflowOptions options = VideoPipelineOptions.forJob("job-8", JobRequest.of("/videos/a.mp4"), null);
    assertThat(options.getMemo()).containsOnlyKeys(VideoPipelineOptions.MEMO_SOURCE);
    assertThat(options.getTaskQueue()).isEqualTo(TaskQueues.DEFAULT_CPU);

    assertThatThrownBy(() -> VideoPipelineOptions.forJob(" ", JobRequest.of("/videos/a.mp4"), null))
        .isInstanceOf(IllegalArgumentException.class);
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
    assertThat(PipelineTimeouts.defaults().heartbeat()).hasSeconds(4);
    assertThat(PipelineTimeouts.defaults().gpuScheduleToStart()).hasMinutes(2);
    assertThatThrownBy(() -> PipelineTimeouts.defaults().withHeartbeat(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

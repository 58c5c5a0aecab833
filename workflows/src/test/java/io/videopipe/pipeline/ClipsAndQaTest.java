package io.videopipe.pipeline;

import static io.videopipe.pipeline.FakePipeline.only;
import static io.videopipe.pipeline.PipelineTestEnvironment.SOURCE_URI;
import static io.videopipe.pipeline.PipelineTestEnvironment.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowStub;
import io.videopipe.clip.ClipRequest;
import io.videopipe.clip.RenderedClip;
import io.videopipe.pipeline.FakePipeline.Call;
import io.videopipe.qa.QaCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RENDER and QA: parallel renders, one re-render of a failing clip, NEEDS_REVIEW instead of FAILED. */
class ClipsAndQaTest {
  @RegisterExtension final PipelineTestEnvironment testEnv = new PipelineTestEnvironment();
  private final FakePipeline pipeline = testEnv.pipeline();

  @Test
  void clipsRenderInParallelAndAClipFailingQaIsRenderedOnceMore() throws Exception {
    pipeline.highlights.count(3);
    pipeline.qa.thenFailsClips(2);
    testEnv.start();

    JobResult result = result(testEnv.startJob("job-rerender", JobRequest.of(SOURCE_URI)));

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(pipeline.clips.requests())
        .hasSize(4)
        .extracting(r -> r.highlight().rank(), ClipRequest::attempt)
        .containsExactlyInAnyOrder(tuple(1, 1), tuple(2, 1), tuple(3, 1), tuple(2, 2));
    assertThat(pipeline.calls).extracting(Call::activity)
        .containsSubsequence("PickHighlights", "RenderClip", "RenderClip", "RenderClip", "QualityCheck",
            "RenderClip", "QualityCheck", "ComputeCost");
    assertThat(result.clips()).extracting(RenderedClip::rank, RenderedClip::attempt)
        .containsExactly(tuple(1, 1), tuple(2, 2), tuple(3, 1));
    assertThat(result.qa().checks()).filteredOn(c -> c.clip() != null).allMatch(QaCheck::passed).hasSize(3);
    var steps = only(pipeline.cost).steps();
    assertThat(steps).filteredOn(t -> t.step() == Step.RENDER).hasSize(4);
    assertThat(steps).filteredOn(t -> t.step() == Step.QA).hasSize(2);

    testEnv.replay("job-rerender");
  }

  @Test
  void everyFrameOfAHighlightComesFromItsOneRenderClipAndIsExported() throws Exception {
    pipeline.highlights.count(2);
    testEnv.start();
    io.videopipe.clip.ClipOptions three = new io.videopipe.clip.ClipOptions(-14, -1, false, false, null, false,
        java.util.List.of("source", "9:16", "1:1"));

    JobResult result = result(testEnv.startJob("job-frames",
        JobRequest.builder(SOURCE_URI).clips(three).build()));

    assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(pipeline.clips.requests()).hasSize(2).allSatisfy(r -> assertThat(r.options()).isEqualTo(three));
    assertThat(result.clips()).allSatisfy(c -> assertThat(c.formats()).hasSize(3));
    assertThat(result.artifacts()).containsKeys("clip-01.mp4", "clip-01-9x16.mp4", "clip-01-1x1.mp4", "clip-02.mp4",
        "clip-02-9x16.mp4", "clip-02-1x1.mp4");
    assertThat(result.artifacts().get("clip-02-1x1.mp4")).endsWith("/job-frames/clips/clip-02-1x1.mp4");

    testEnv.replay("job-frames");
  }

  @Test
  void aClipFailingQaTwiceMakesTheJobNeedReviewNeverFail() {
    pipeline.highlights.count(2);
    pipeline.qa.thenFailsClips(1);
    pipeline.qa.thenFailsClips(1);
    testEnv.start();

    VideoPipelineWorkflow wf = testEnv.startJob("job-review", JobRequest.of(SOURCE_URI));
    JobResult result = result(wf);

    assertThat(result.status()).isEqualTo(JobStatus.NEEDS_REVIEW);
    assertThat(result.error()).isNull();
    assertThat(result.qa().passed()).isFalse();
    assertThat(result.qa().failedClips()).containsExactly(1);
    assertThat(result.clips()).hasSize(2);
    assertThat(pipeline.clips.requests()).hasSize(3);
    assertThat(pipeline.deletedPrefixes()).containsExactly(JobPaths.SOURCE);
    assertThat(WorkflowStub.fromTyped(wf).describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
  }

  @Test
  void aClipThatCannotBeRenderedIsTriedOnceMoreThenReportedForReview() {
    pipeline.highlights.count(2);
    pipeline.clips.unrenderable(2);
    testEnv.start();

    JobResult result = result(testEnv.startJob("job-unrenderable", JobRequest.of(SOURCE_URI)));

    assertThat(result.status()).isEqualTo(JobStatus.NEEDS_REVIEW);
    assertThat(result.clips()).extracting(RenderedClip::rank).containsExactly(1);
    assertThat(result.qa().checks())
        .filteredOn(c -> c.name().equals("clip.rendered"))
        .extracting(QaCheck::clip, QaCheck::passed, QaCheck::measured)
        .containsExactly(tuple(2, false, "render failed twice: highlight ends past the source"));
    // one attempt each time: InvalidRequest is on the workflow's do-not-retry list
    assertThat(pipeline.callsOf("RenderClip")).hasSize(3);
    assertThat(result.artifacts()).containsKey("clip-01.mp4").doesNotContainKey("clip-02.mp4");
  }
}

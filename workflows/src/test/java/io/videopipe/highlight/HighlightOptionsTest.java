package io.videopipe.highlight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.videopipe.pipeline.JobRequest;
import io.videopipe.pipeline.TaskQueues;
import io.videopipe.route.EngineMode;
import org.junit.jupiter.api.Test;

class HighlightOptionsTest {
  @Test
  void aNewJobIsHeldToTheLimitsEachNamingItsField() {
    assertThat(build(new HighlightOptions(20, 1, 300)).highlights().maxCount()).isEqualTo(20);
    assertThatThrownBy(() -> build(new HighlightOptions(21, 15, 60)))
        .hasMessage("highlights.maxCount must be 0 to 20 (one clip is rendered per highlight), was 21");
    assertThatThrownBy(() -> build(new HighlightOptions(3, 0.5, 60)))
        .hasMessage("highlights.minSec must be at least 1 second, was 0.5");
    assertThatThrownBy(() -> build(new HighlightOptions(3, 15, 301)))
        .hasMessage("highlights.maxSec must be at most 300 seconds, was 301.0");
    assertThatThrownBy(() -> new HighlightOptions(3, 30, 20))
        .hasMessageContaining("highlights.maxSec must be at least highlights.minSec");
  }

  @Test
  void aJobAcceptedBeforeTheLimitsStillReadsItsInput() {
    // What the workflow's data converter does on replay: the canonical constructor, not the builder.
    JobRequest old = new JobRequest("file:///v/a.mp4", EngineMode.AUTO, 3, "en", new HighlightOptions(50, 0.5, 600),
        false, null, TaskQueues.defaults(), null, null, null, null, null);
    assertThat(old.highlights().maxCount()).isEqualTo(50);
  }

  private static JobRequest build(HighlightOptions h) {
    return JobRequest.builder("file:///v/a.mp4").highlights(h).build();
  }
}

package io.videopipe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The render section, quick: both sides encode the same segment of both generated sources to the same output. */
class RenderBenchTest {
  @TempDir Path dir;

  @Test
  void bothSidesRenderTheSameClipAndTheRatiosAreReported() throws Exception {
    FfmpegCli cli;
    try {
      cli = FfmpegCli.locate(dir);
    } catch (IllegalStateException e) {
      // .ci/run installs libpulse0; without it the section says it cannot compare
      assumeTrue(false, e.getMessage());
      return;
    }
    Section s = RenderBench.run(cli, null, true, 1, dir);

    assertThat(s.status()).as(s.notes().toString()).isEqualTo(Section.Status.OK);
    assertThat(s.figures())
        .extracting(Figure::key)
        .contains("wallRatio1920x1080", "wallRatio1080x1920", "cpuRatio1920x1080", "cpuRatio1080x1920");
    assertThat(s.figures()).allSatisfy(f -> assertThat(f.value()).isPositive().isFinite());
    // no "outputs differ" note: same size, frame count, profile, level and audio on both sides
    assertThat(s.notes()).noneMatch(n -> n.contains("differ"));
    for (String size : new String[] {"1920x1080", "1080x1920"}) {
      Map<?, ?> d = (Map<?, ?>) s.details().get(size);
      Map<?, ?> ours = (Map<?, ?>) d.get("ours");
      assertThat(ours.get("size")).isEqualTo(size);
      assertThat(ours.get("frames")).isEqualTo((long) (RenderBench.QUICK_CLIP_SEC * 30));
      assertThat(ours.get("colour")).isEqualTo("bt709/bt709/bt709");
      assertThat(((Map<?, ?>) d.get("cli")).get("frames")).isEqualTo(ours.get("frames"));
    }
  }

  @Test
  void withoutTheCliTheSectionIsSkippedWithTheReason() throws Exception {
    Section s = RenderBench.run(null, "the ffmpeg CLI cannot start: it needs libpulse.so.0", true, 1, dir);
    assertThat(s.status()).isEqualTo(Section.Status.SKIPPED);
    assertThat(s.notes()).singleElement().asString().contains("libpulse.so.0");
  }
}

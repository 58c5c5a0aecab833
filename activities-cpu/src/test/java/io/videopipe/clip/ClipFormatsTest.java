package io.videopipe.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.videopipe.loudness.Loudness;
import io.videopipe.loudness.LoudnessMeter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 16:9, 9:16 and 1:1 of one highlight from one decode, with one levelled audio. */
class ClipFormatsTest {
  @TempDir Path dir;
  final ClipRenderer renderer = new ClipRenderer();

  static ClipOptions aspect(String aspect) {
    return new ClipOptions(-14, -1, false, false, aspect, false);
  }

  @Test
  void threeFormatsComeFromOneDecodeEachInItsSizeAtTheSameLoudness() throws Exception {
    Path source = ClipFixtures.twoLevelSource(dir);
    List<ClipRenderer.Format> formats = List.of(
        new ClipRenderer.Format(aspect(ClipOptions.SOURCE), dir.resolve("wide.mp4")),
        new ClipRenderer.Format(aspect(ClipOptions.VERTICAL), dir.resolve("tall.mp4")),
        new ClipRenderer.Format(aspect(ClipOptions.SQUARE), dir.resolve("square.mp4")));

    // spans the change from -32 to -12 LUFS: levelling has real work to do
    List<ClipRenderer.Result> results = renderer.render(source, 7.0, 13.0, formats, List.of(), 1, () -> {});

    int[][] sizes = {{640, 360}, {202, 360}, {360, 360}};
    String[] framing = {RenderedClip.FRAMING_SOURCE, RenderedClip.FRAMING_CENTRE, RenderedClip.FRAMING_CENTRE};
    LoudnessMeter meter = new LoudnessMeter();
    Loudness first = null;
    for (int i = 0; i < 3; i++) {
      Path clip = formats.get(i).out();
      ClipInspector.Report r = new ClipInspector().inspect(clip);
      assertThat(r.videoCodec()).isEqualTo("h264");
      assertThat(r.profile()).isEqualTo(ClipOutputSpec.PROFILE);
      assertThat(r.level()).isEqualTo(ClipOutputSpec.LEVEL);
      assertThat(r.frameColour()).isEqualTo("bt709/bt709/bt709");
      assertThat(r.moovFirst()).isTrue();
      assertThat(r.decodeErrors()).isZero();
      assertThat(new int[] {r.width(), r.height()}).as("%s size", clip).containsExactly(sizes[i]);
      assertThat(r.videoFrames()).isEqualTo(6 * ClipFixtures.FPS);
      assertThat(r.audioCodec()).isEqualTo("aac");
      assertThat(r.audioSamples()).isCloseTo(6 * 48_000, within(1024L));
      assertThat(results.get(i).framing()).isEqualTo(framing[i]);
      assertThat(new int[] {results.get(i).width(), results.get(i).height()}).containsExactly(sizes[i]);

      Loudness l = meter.measure(clip);
      assertThat(l.integratedLufs()).as("%s loudness", clip).isCloseTo(-14, within(0.5));
      assertThat(l.truePeakDbtp()).as("%s true peak", clip).isLessThanOrEqualTo(-1.0);
      if (first == null) {
        first = l;
      } else {
        // the same levelled samples through the same (deterministic) AAC encoder
        assertThat(l.integratedLufs()).isCloseTo(first.integratedLufs(), within(0.01));
      }
    }
    // one look at the segment for both reframed formats' face tracking, one decode feeding the three encoders
    // (separately: 1 + 2 + 2 = 5)
    assertThat(results).allSatisfy(r -> assertThat(r.videoDecodes()).isEqualTo(2));
  }

  @Test
  void aSingleSourceFormatDecodesOnceAndAReframedOneTwice() throws Exception {
    Path source = ClipFixtures.twoLevelSource(dir);
    ClipRenderer.Result wide =
        renderer.render(source, 1.0, 3.0, ClipOptions.defaults(), List.of(), 1, dir.resolve("w.mp4"), () -> {});
    ClipRenderer.Result tall = renderer.render(
        source, 1.0, 3.0, aspect(ClipOptions.VERTICAL), List.of(), 1, dir.resolve("t.mp4"), () -> {});
    assertThat(wide.videoDecodes()).isEqualTo(1);
    assertThat(tall.videoDecodes()).isEqualTo(2);
  }

  @Test
  void formatsWithDifferentLoudnessTargetsAreRefused() {
    List<ClipRenderer.Format> formats = List.of(
        new ClipRenderer.Format(aspect(ClipOptions.SOURCE), dir.resolve("a.mp4")),
        new ClipRenderer.Format(new ClipOptions(-16, -1, true, false), dir.resolve("b.mp4")));
    assertThatThrownBy(() -> renderer.render(dir.resolve("none.mp4"), 0, 1, formats, List.of(), 1, () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loudness target");
  }
}

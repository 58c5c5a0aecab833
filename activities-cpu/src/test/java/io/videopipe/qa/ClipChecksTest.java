package io.videopipe.qa;

import static org.assertj.core.api.Assertions.assertThat;

import io.videopipe.captions.CaptionProbe;
import io.videopipe.clip.ClipInspector;
import io.videopipe.clip.ClipOptions;
import io.videopipe.clip.RenderedClip;
import io.videopipe.loudness.Loudness;
import io.videopipe.reframe.FramingProbe;
import io.videopipe.transcribe.Captions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The clip check family on its own: the bounds of ClipOutputSpec, without files. */
class ClipChecksTest {
  static final ClipOptions VERTICAL_CAPTIONED = new ClipOptions(-14, -1, true, true);

  static RenderedClip clip(int rank, String framing, boolean captions) {
    return new RenderedClip(rank, "file:///c.mp4", "file:///c.srt", "file:///c.vtt", 10, 20, 10, true, -14, -1.2, 1,
        1, 1000, framing, captions, null);
  }

  static ClipInspector.Report goodReport() {
    return new ClipInspector.Report("h264", 100, 40, "yuv420p", 404, 720, 25, "bt709", "bt709", "bt709",
        "bt709/bt709/bt709", "aac", 48000, 2, 10, true, 250, 480000, 0, 0);
  }

  static ClipChecks.ClipMeasurement measured(double lufs, double peak, FramingProbe.Measurement framing,
      List<CaptionProbe.Sample> burned) {
    List<Captions.Cue> cues = List.of(new Captions.Cue(0.5, 2, "hello"));
    return new ClipChecks.ClipMeasurement(goodReport(), new Loudness(lufs, 5, peak, 0.1, new double[0], 10), null,
        cues, cues, null, framing, burned);
  }

  static List<String> failed(List<QaCheck> checks) {
    return checks.stream().filter(c -> !c.passed()).map(c -> c.name() + "#" + c.clip()).toList();
  }

  static final FramingProbe.Measurement CENTRED = new FramingProbe.Measurement(40, 38, 36);
  static final List<CaptionProbe.Sample> CAPTIONS_OK =
      List.of(new CaptionProbe.Sample(1, true, 0.05), new CaptionProbe.Sample(4, false, 0.0));

  @Test
  void aGoodClipPassesEveryCheck() {
    List<QaCheck> checks = ClipChecks.of(List.of(clip(1, "face", true)),
        List.of(measured(-14.1, -1.0, CENTRED, CAPTIONS_OK)), VERTICAL_CAPTIONED);
    assertThat(failed(checks)).isEmpty();
    assertThat(checks).extracting(QaCheck::name).contains("clip.framing", "clip.burnedCaptions", "clip.truePeak");
  }

  @Test
  void loudnessTruePeakAndSpreadHaveNoAllowance() {
    List<RenderedClip> clips = List.of(clip(1, "face", true), clip(2, "face", true), clip(3, "face", true));
    List<ClipChecks.ClipMeasurement> m = new ArrayList<>(List.of(
        measured(-14.0, -0.9, CENTRED, CAPTIONS_OK),
        measured(-14.6, -2, CENTRED, CAPTIONS_OK),
        measured(-13.9, -2, CENTRED, CAPTIONS_OK)));
    assertThat(failed(ClipChecks.of(clips, m, VERTICAL_CAPTIONED)))
        .containsExactly("clip.truePeak#1", "clip.loudness#2", "clip.loudnessSpread#null");
  }

  @Test
  void aFaceOffCentreOrUnseenFailsTheFraming() {
    List<QaCheck> offCentre = ClipChecks.of(List.of(clip(1, "face", false)),
        List.of(measured(-14, -2, new FramingProbe.Measurement(40, 38, 30), null)), new ClipOptions(-14, -1, true, false));
    assertThat(failed(offCentre)).containsExactly("clip.framing#1");
    List<QaCheck> unseen = ClipChecks.of(List.of(clip(1, "face", false)),
        List.of(measured(-14, -2, new FramingProbe.Measurement(40, 5, 5), null)), new ClipOptions(-14, -1, true, false));
    assertThat(failed(unseen)).containsExactly("clip.framing#1");
    // a centre crop with no face to follow is right
    List<QaCheck> centre = ClipChecks.of(List.of(clip(1, "centre", false)),
        List.of(measured(-14, -2, new FramingProbe.Measurement(40, 0, 0), null)), new ClipOptions(-14, -1, true, false));
    assertThat(failed(centre)).isEmpty();
  }

  @Test
  void captionsMissingAtAWordOrShownInAPauseFail() {
    List<CaptionProbe.Sample> bad =
        List.of(new CaptionProbe.Sample(1, true, 0.001), new CaptionProbe.Sample(4, false, 0.03));
    List<QaCheck> checks = ClipChecks.of(List.of(clip(1, "face", true)), List.of(measured(-14, -2, CENTRED, bad)),
        VERTICAL_CAPTIONED);
    assertThat(failed(checks)).containsExactly("clip.burnedCaptions#1");
    assertThat(checks.stream().filter(c -> c.name().equals("clip.burnedCaptions")).findFirst().orElseThrow().measured())
        .contains("1.00 s lacks text").contains("4.00 s has text");
  }
}

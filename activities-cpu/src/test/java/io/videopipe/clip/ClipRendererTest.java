package io.videopipe.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.videopipe.loudness.Loudness;
import io.videopipe.loudness.LoudnessMeter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipRendererTest {
  @TempDir static Path dir;
  static Path source;
  static final ClipRenderer renderer = new ClipRenderer();
  static final ClipInspector inspector = new ClipInspector();
  static final LoudnessMeter meter = new LoudnessMeter();

  @BeforeAll
  static void source() {
    source = ClipFixtures.twoLevelSource(dir);
  }

  @Test
  void clipsOfQuietAndLoudStretchesComeOutAtTheTargetInTheDeliveryFormat() throws Exception {
    Path quiet = dir.resolve("q.mp4");
    renderer.render(source, 2.0, 9.0, ClipOptions.defaults(), List.of(), 1, quiet, () -> {});
    ClipRenderer.Result loudResult =
        renderer.render(source, 9.6, 16.6, ClipOptions.defaults(), List.of(), 1, dir.resolve("l.mp4"), () -> {});
    Path loud = dir.resolve("l.mp4");

    List<Double> levels = new ArrayList<>();
    for (Path clip : List.of(quiet, loud)) {
      Loudness l = meter.measure(clip);
      levels.add(l.integratedLufs());
      assertThat(l.integratedLufs()).as("%s integrated", clip).isCloseTo(-14.0, within(0.5));
      assertThat(l.truePeakDbtp()).as("%s true peak", clip).isLessThanOrEqualTo(-1.0);

      ClipInspector.Report r = inspector.inspect(clip);
      assertThat(r.videoCodec()).isEqualTo("h264");
      assertThat(r.profile()).isEqualTo(100);
      assertThat(r.level()).isEqualTo(40);
      assertThat(r.pixelFormat()).isEqualTo("yuv420p");
      assertThat(List.of(r.primaries(), r.transfer(), r.matrix())).containsOnly("bt709");
      assertThat(r.frameColour()).isEqualTo("bt709/bt709/bt709");
      assertThat(r.audioCodec()).isEqualTo("aac");
      assertThat(r.sampleRate()).isEqualTo(48000);
      assertThat(r.channels()).isEqualTo(2);
      assertThat(r.moovFirst()).isTrue();
      assertThat(r.decodeErrors()).isZero();
      assertThat(r.videoFrames()).isEqualTo(7 * ClipFixtures.FPS);
      assertThat(r.durationSec()).isCloseTo(7.0, within(1.0 / ClipFixtures.FPS));
      assertThat(r.firstVideoSec()).isCloseTo(0.0, within(0.001));
      assertThat(r.audioSamples()).isCloseTo(7 * 48000L, within(1100L));
    }
    assertThat(levels.get(0) - levels.get(1)).isCloseTo(0.0, within(0.5));
    assertThat(loudResult.loudness().integratedLufs()).isCloseTo(levels.get(1), within(0.05));
  }

  @Test
  void sourceHalvesReallyDifferInLoudness() throws Exception {
    Path pcm = dir.resolve("levels.wav");
    io.videopipe.audio.MediaFixtures.ffmpeg(pcm, "-i", source.toString(), "-t", "10", "-vn", "-c:a", "pcm_f32le");
    assertThat(meter.measure(pcm).integratedLufs()).isCloseTo(-32.0, within(2.0));
    io.videopipe.audio.MediaFixtures.ffmpeg(pcm, "-ss", "10", "-i", source.toString(), "-vn", "-c:a", "pcm_f32le");
    assertThat(meter.measure(pcm).integratedLufs()).isCloseTo(-12.0, within(2.0));
  }

  @Test
  void cutIsFrameAccurate() throws Exception {
    // 9.6 s lies between keyframes (8 s and 10 s); the picture turns blue at exactly 10.0 s = clip frame 10
    Path clip = dir.resolve("cut.mp4");
    renderer.render(source, 9.6, 12.0, ClipOptions.defaults(), List.of(), 1, clip, () -> {});
    List<String> colours = new ArrayList<>();
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile())) {
      g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
      g.start();
      Frame f;
      while ((f = g.grabImage()) != null) {
        colours.add(colour(f));
      }
    }
    assertThat(colours).hasSize(60);
    assertThat(colours.subList(0, 10)).containsOnly("red");
    assertThat(colours.subList(10, 60)).containsOnly("blue");
  }

  @Test
  void verticalCropIsNineBySixteen() throws Exception {
    Path clip = dir.resolve("vertical.mp4");
    ClipRenderer.Result r =
        renderer.render(source, 1.0, 3.0, new ClipOptions(-14, -1, true, false), List.of(), 1, clip, () -> {});
    ClipInspector.Report report = inspector.inspect(clip);
    assertThat(report.height()).isEqualTo(360);
    assertThat(report.width()).isEqualTo(202);
    assertThat(r.width()).isEqualTo(202);
    assertThat(report.decodeErrors()).isZero();
  }

  @Test
  void audioOnlySourceGivesAnAudioOnlyClip() throws Exception {
    Path clip = dir.resolve("audio.mp4");
    ClipRenderer.Result r =
        renderer.render(ClipFixtures.audioOnly(dir), 8.0, 14.0, ClipOptions.defaults(), List.of(), 1, clip, () -> {});
    assertThat(r.hasVideo()).isFalse();
    ClipInspector.Report report = inspector.inspect(clip);
    assertThat(report.hasVideo()).isFalse();
    assertThat(report.audioCodec()).isEqualTo("aac");
    assertThat(report.sampleRate()).isEqualTo(48000);
    assertThat(report.channels()).isEqualTo(2);
    assertThat(report.durationSec()).isCloseTo(6.0, within(0.05));
    assertThat(meter.measure(clip).integratedLufs()).isCloseTo(-14.0, within(0.5));
  }

  @Test
  void secondAttemptAlsoLandsOnTarget() throws Exception {
    Path clip = dir.resolve("attempt2.mp4");
    ClipRenderer.Result r =
        renderer.render(source, 9.6, 16.6, new ClipOptions(-16, -2, false, false), List.of(), 2, clip, () -> {});
    Loudness l = meter.measure(clip);
    assertThat(l.integratedLufs()).isCloseTo(-16.0, within(0.5));
    assertThat(l.truePeakDbtp()).isLessThanOrEqualTo(-2.0);
    assertThat(r.loudness().integratedLufs()).isCloseTo(l.integratedLufs(), within(0.05));
  }

  @Test
  void pictureSurvivesAtAlignedAndOddWidths() throws Exception {
    // 1280 goes straight through as yuv420p; 854 (no multiple of 64) through the RGB path
    for (int[] size : new int[][] {{1280, 720}, {854, 480}}) {
      Path src = io.videopipe.audio.MediaFixtures.mp4H264Aac(dir, 3, size[0], size[1]);
      Path clip = dir.resolve("picture-" + size[0] + ".mp4");
      renderer.render(src, 1.0, 2.0, ClipOptions.defaults(), List.of(), 1, clip, () -> {});
      assertThat(meanDifference(firstFrameAt(src, 1.0), firstFrameAt(clip, 0))).as("%dx%d", size[0], size[1])
          .isLessThan(6.0);
    }
  }

  private static byte[] firstFrameAt(Path file, double sec) throws Exception {
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
      g.start();
      if (sec > 0) {
        g.setVideoTimestamp(Math.round(sec * 1e6));
      }
      Frame f = g.grabImage();
      ByteBuffer b = (ByteBuffer) f.image[0];
      byte[] rows = new byte[f.imageWidth * 3 * f.imageHeight];
      for (int y = 0; y < f.imageHeight; y++) {
        b.position(y * f.imageStride);
        b.get(rows, y * f.imageWidth * 3, f.imageWidth * 3);
      }
      return rows;
    }
  }

  private static double meanDifference(byte[] a, byte[] b) {
    assertThat(a).hasSameSizeAs(b);
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return (double) sum / a.length;
  }

  /** The middle pixel's colour, BGR. */
  private static String colour(Frame f) {
    ByteBuffer b = (ByteBuffer) f.image[0];
    int at = (f.imageHeight / 2) * f.imageStride + (f.imageWidth / 2) * 3;
    int blue = b.get(at) & 0xff;
    int red = b.get(at + 2) & 0xff;
    return red > 200 && blue < 60 ? "red" : blue > 200 && red < 60 ? "blue" : "other(" + red + "," + blue + ")";
  }
}

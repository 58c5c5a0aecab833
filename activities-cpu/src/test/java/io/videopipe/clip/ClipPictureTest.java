package io.videopipe.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.videopipe.audio.MediaFixtures;
import io.videopipe.captions.CaptionProbe;
import io.videopipe.reframe.FaceDetector;
import io.videopipe.reframe.FramingProbe;
import io.videopipe.transcribe.Word;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the picture of a clip shows: a followed face, captions at the words' times, SDR colours, the frame rate. */
class ClipPictureTest {
  /** A real photograph with a face (Debian package opencv-doc; .ci/run installs it). */
  static final Path FACE_PHOTO = Path.of("/usr/share/doc/opencv-doc/examples/data/messi5.jpg");

  @TempDir Path dir;
  final ClipRenderer renderer = new ClipRenderer();
  final ClipInspector inspector = new ClipInspector();

  static Path facePhoto() {
    if (!Files.isRegularFile(FACE_PHOTO)) {
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(FACE_PHOTO + " is missing: install the Debian package opencv-doc");
      }
      Assumptions.abort("no " + FACE_PHOTO + " (Debian package opencv-doc)");
    }
    return FACE_PHOTO;
  }

  /** 10 s, 1280x720: the face (about 320 px high) walks from the left third to the right third; speech-like noise. */
  Path walkingFace() {
    return MediaFixtures.ffmpeg(dir.resolve("walking.mp4"),
        "-f", "lavfi", "-i", "color=c=0x707070:s=1280x720:r=25:d=10",
        "-loop", "1", "-i", facePhoto().toString(),
        "-f", "lavfi", "-i", "anoisesrc=color=pink:sample_rate=48000:amplitude=0.3:duration=10:seed=3,"
            + "tremolo=f=3:d=0.8,aformat=channel_layouts=stereo",
        "-filter_complex", "[1:v]crop=90:100:200:45,scale=-2:320[f];[0:v][f]overlay=x='100+70*t':y=300:shortest=1[v]",
        "-map", "[v]", "-map", "2:a", "-t", "10",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-ar", "48000", "-ac", "2");
  }

  @Test
  void verticalClipFollowsTheWalkingFace() throws Exception {
    Path source = walkingFace();
    Path clip = dir.resolve("vertical-face.mp4");
    ClipRenderer.Result r = renderer.render(source, 0.5, 9.5, new ClipOptions(-14, -1, true, false), List.of(), 1,
        clip, () -> {});
    assertThat(r.framing()).isEqualTo("face");
    assertThat(r.width()).isEqualTo(404);
    assertThat(r.height()).isEqualTo(720);
    // measured with QA's cascade (alt2), not the renderer's (default)
    FramingProbe.Measurement m = FramingProbe.measure(clip, FaceDetector.Cascade.HAAR_FRONTAL_ALT2, () -> {});
    assertThat(m.faceShare()).as("frames with a face: %s", m).isGreaterThanOrEqualTo(0.8);
    assertThat(m.centredShare()).as("centred: %s", m).isGreaterThanOrEqualTo(ClipOutputSpec.FACE_CENTRED_SHARE);

    // the same window held still (a centre crop) would lose the face: the probe can fail
    Path still = MediaFixtures.ffmpeg(dir.resolve("centre-crop.mp4"), "-ss", "0.5", "-t", "9", "-i", source.toString(),
        "-vf", "crop=404:720", "-c:v", "libx264", "-preset", "ultrafast", "-an");
    FramingProbe.Measurement centre = FramingProbe.measure(still, FaceDetector.Cascade.HAAR_FRONTAL_ALT2, () -> {});
    assertThat(centre.centredShare()).isLessThan(0.5);
  }

  @Test
  void squareClipFollowsTheFaceToo() throws Exception {
    Path clip = dir.resolve("square-face.mp4");
    ClipRenderer.Result r = renderer.render(walkingFace(), 1.0, 6.0,
        new ClipOptions(-14, -1, false, false, ClipOptions.SQUARE, false), List.of(), 1, clip, () -> {});
    assertThat(r.framing()).isEqualTo("face");
    assertThat(inspector.inspect(clip).width()).isEqualTo(720);
    assertThat(inspector.inspect(clip).height()).isEqualTo(720);
    FramingProbe.Measurement m = FramingProbe.measure(clip, FaceDetector.Cascade.HAAR_FRONTAL_ALT2, () -> {});
    assertThat(m.centredShare()).as("%s", m).isGreaterThanOrEqualTo(ClipOutputSpec.FACE_CENTRED_SHARE);
  }

  @Test
  void noFaceGivesACentreCropSaidSo() throws Exception {
    ClipRenderer.Result r = renderer.render(ClipFixtures.twoLevelSource(dir), 1.0, 3.0,
        new ClipOptions(-14, -1, true, false), List.of(), 1, dir.resolve("noface.mp4"), () -> {});
    assertThat(r.framing()).isEqualTo("centre");
    assertThat(r.faceShare()).isZero();
  }

  static final List<Word> WORDS = List.of(
      new Word("Captions", 1.2, 1.7, 0.9), new Word("appear", 1.8, 2.3, 0.9), new Word("here", 2.4, 2.8, 0.9),
      new Word("and", 5.6, 5.9, 0.9), new Word("again", 6.0, 6.6, 0.9));

  @Test
  void captionsAreDrawnWhenTheWordsAreSpokenAndNotInPauses() throws Exception {
    Path source = ClipFixtures.twoLevelSource(dir);
    for (ClipOptions options : List.of(
        new ClipOptions(-14, -1, false, true, null, true),
        new ClipOptions(-14, -1, true, true, null, false))) {
      Path clip = dir.resolve("captions-" + options.aspect().replace(':', '-') + ".mp4");
      // the clip starts at 1.0 s: clip times are the words' minus 1
      ClipRenderer.Result r = renderer.render(source, 1.0, 8.0, options, WORDS, 1, clip, () -> {});
      assertThat(r.captionsBurned()).isTrue();
      List<Word> clipWords = WORDS.stream().map(w -> new Word(w.text(), w.start() - 1, w.end() - 1, 1)).toList();
      List<double[]> times = CaptionProbe.probeTimes(clipWords, 7.0);
      assertThat(times.stream().filter(t -> t[1] == 0)).as("pauses probed").isNotEmpty();
      List<CaptionProbe.Sample> samples = CaptionProbe.measure(clip, times, () -> {});
      assertThat(samples).hasSize(times.size());
      assertThat(samples).as("%s", options.aspect()).allSatisfy(s -> assertThat(s.ok()).as("%s", s).isTrue());
    }
    // without burn-in the probe finds no text at the word times: it can fail
    Path plain = dir.resolve("no-captions.mp4");
    renderer.render(source, 1.0, 8.0, ClipOptions.defaults(), WORDS, 1, plain, () -> {});
    List<CaptionProbe.Sample> none =
        CaptionProbe.measure(plain, List.<double[]>of(new double[] {1.0, 1}, new double[] {5.0, 1}), () -> {});
    assertThat(none).noneSatisfy(s -> assertThat(s.ok()).isTrue());
  }

  @Test
  void pqSourceComesOutWithTheSdrPicturesColours() throws Exception {
    Path sdr = MediaFixtures.ffmpeg(dir.resolve("sdr.mp4"),
        "-f", "lavfi", "-i", "smptehdbars=s=640x360:r=25:d=3",
        "-f", "lavfi", "-i", "sine=f=440:sample_rate=48000:d=3",
        "-vf", "format=yuv420p",
        "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-color_primaries", "bt709", "-color_trc", "bt709",
        "-colorspace", "bt709", "-c:a", "aac", "-ac", "2");
    // the same picture as HDR10: SDR white at 203 cd/m2 (BT.2408), BT.2020 primaries, PQ, 10 bits
    Path pq = MediaFixtures.ffmpeg(dir.resolve("pq.mkv"),
        "-i", sdr.toString(),
        "-vf", "zscale=tin=709:min=709:pin=709:rin=tv:t=linear:npl=203:p=709,format=gbrpf32le,"
            + "zscale=p=2020:t=smpte2084:m=2020_ncl:r=tv:npl=203,format=yuv420p10le",
        "-c:v", "ffv1", "-color_primaries", "bt2020", "-color_trc", "smpte2084", "-colorspace", "bt2020nc",
        "-c:a", "copy");
    Path clip = dir.resolve("from-pq.mp4");
    renderer.render(pq, 0.5, 2.5, ClipOptions.defaults(), List.of(), 1, clip, () -> {});
    ClipInspector.Report report = inspector.inspect(clip);
    assertThat(report.pixelFormat()).isEqualTo("yuv420p");
    assertThat(report.frameColour()).isEqualTo("bt709/bt709/bt709");

    double converted = meanDifference(rgbAt(sdr, 1.0), rgbAt(clip, 0.5));
    assertThat(converted).as("tone-mapped vs original, mean abs RGB difference").isLessThan(8.0);
    // only relabelling the PQ picture as BT.709 (what the clips did before) is far off: the check can fail
    Path relabelled = MediaFixtures.ffmpeg(dir.resolve("relabelled.mp4"), "-i", pq.toString(),
        "-vf", "scale=out_range=tv,format=yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0",
        "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709", "-an");
    assertThat(meanDifference(rgbAt(sdr, 1.0), rgbAt(relabelled, 1.0))).isGreaterThan(3 * converted);
  }

  @Test
  void highFrameRatesAreHalvedAndCommonRatesKept() throws Exception {
    for (double[] rates : new double[][] {{60, 30}, {50, 25}, {30000.0 / 1001, 30000.0 / 1001}, {25, 25}}) {
      String rate = rates[0] == 30000.0 / 1001 ? "30000/1001" : Integer.toString((int) rates[0]);
      Path src = MediaFixtures.ffmpeg(dir.resolve("rate-" + (int) rates[0] + ".mp4"),
          "-f", "lavfi", "-i", "testsrc2=s=320x180:r=" + rate + ":d=3",
          "-f", "lavfi", "-i", "sine=f=440:sample_rate=48000:d=3",
          "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2");
      Path clip = dir.resolve("rate-out-" + (int) rates[0] + ".mp4");
      ClipRenderer.Result r = renderer.render(src, 0.5, 2.5, ClipOptions.defaults(), List.of(), 1, clip, () -> {});
      assertThat(r.fps()).isCloseTo(rates[1], within(0.01));
      ClipInspector.Report report = inspector.inspect(clip);
      assertThat(report.fps()).isCloseTo(rates[1], within(0.01));
      assertThat((double) report.videoFrames()).isCloseTo(2.0 * rates[1], within(1.0));
    }
  }

  private static int[] rgbAt(Path file, double sec) throws Exception {
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
      g.start();
      Frame f;
      while ((f = g.grabImage()) != null) {
        if (f.timestamp / 1e6 + 1e-3 >= sec) {
          ByteBuffer b = (ByteBuffer) f.image[0];
          int[] px = new int[f.imageWidth * f.imageHeight * 3];
          for (int y = 0; y < f.imageHeight; y++) {
            for (int x = 0; x < f.imageWidth * 3; x++) {
              px[y * f.imageWidth * 3 + x] = b.get(y * f.imageStride + x) & 255;
            }
          }
          return px;
        }
      }
    }
    throw new AssertionError("no frame at " + sec + " s in " + file);
  }

  private static double meanDifference(int[] a, int[] b) {
    assertThat(a).hasSameSizeAs(b);
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return (double) sum / a.length;
  }
}

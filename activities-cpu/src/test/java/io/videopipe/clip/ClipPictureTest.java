package io.videopipe.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.videopipe.audio.MediaFixtures;
import io.videopipe.captions.CaptionProbe;
import io.videopipe.reframe.FaceDetector;
import io.videopipe.reframe.FramingProbe;
import io.videopipe.transcribe.Word;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the picture of a clip shows: a followed face, captions at the words' times, the frame rate (colours: ClipSourcesTest). */
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
}

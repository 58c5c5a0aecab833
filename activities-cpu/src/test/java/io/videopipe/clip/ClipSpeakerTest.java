package io.videopipe.clip;

import static org.assertj.core.api.Assertions.assertThat;

import io.videopipe.reframe.FaceDetector;
import io.videopipe.reframe.FramingProbe;
import io.videopipe.transcribe.Word;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Of two faces, a 9:16 clip follows the one speaking, not the larger silent one: measured on the rendered file with
 * QA's cascade (alt2, not the renderer's), telling the faces apart by their size on the source.
 */
class ClipSpeakerTest {
  @TempDir Path dir;
  final ClipRenderer renderer = new ClipRenderer();

  /** The transcript: a word every half second throughout (speech is heard all the time). */
  static List<Word> wordsUntil(double sec) {
    List<Word> words = new ArrayList<>();
    for (double t = 0; t + 0.4 <= sec; t += 0.5) {
      words.add(new Word("word", t, t + 0.4, 0.9));
    }
    return words;
  }

  /** A face found on a sampled frame: its centre as a share of the width, and its height in pixels. */
  record Seen(double centre, double height) {}

  /** A sampled frame and the faces on it. */
  record Sampled(double sec, List<Seen> faces) {}

  /** The faces QA's cascade finds on 4 frames a second of {@code file}. */
  static List<Sampled> look(Path file) throws Exception {
    List<Sampled> out = new ArrayList<>();
    FramingProbe.sample(file, FaceDetector.Cascade.HAAR_FRONTAL_ALT2, s -> out.add(new Sampled(s.sec(),
        s.faces().stream().map(face -> new Seen(face.centreX() / s.width(), face.height())).toList())));
    return out;
  }

  /** The heights QA's cascade gives the two faces of the source: {large, small}. */
  static double[] faceHeights(Path source) throws Exception {
    List<Seen> first = look(source).get(0).faces();
    assertThat(first).as("faces on the source's first frame").hasSize(2);
    Seen left = first.get(0).centre() < first.get(1).centre() ? first.get(0) : first.get(1);
    Seen right = left == first.get(0) ? first.get(1) : first.get(0);
    assertThat(left.height()).as("the left face is the larger").isGreaterThan(1.2 * right.height());
    return new double[] {left.height(), right.height()};
  }

  /**
   * Share of the sampled frames in {@code [fromSec, toSec)} showing the face of height {@code wanted} (nearer to it
   * than to {@code other}) with its centre in the middle fifth of the width.
   */
  static Share centred(List<Sampled> frames, double fromSec, double toSec, double wanted, double other) {
    int samples = 0;
    int centred = 0;
    for (Sampled frame : frames) {
      if (frame.sec() < fromSec || frame.sec() >= toSec) {
        continue;
      }
      samples++;
      boolean hit = frame.faces().stream().anyMatch(s -> Math.abs(Math.log(s.height() / wanted))
          < Math.abs(Math.log(s.height() / other)) && s.centre() >= 0.4 && s.centre() <= 0.6);
      centred += hit ? 1 : 0;
    }
    return new Share(centred, samples);
  }

  record Share(int centred, int samples) {
    double share() {
      return samples == 0 ? 0 : (double) centred / samples;
    }
  }

  @Test
  void verticalClipFollowsTheSmallerFaceThatSpeaks() throws Exception {
    Path source = ClipFixtures.twoFaces(dir, ClipPictureTest.facePhoto(), 10, 10);
    double[] heights = faceHeights(source);
    Path clip = dir.resolve("speaker.mp4");
    ClipRenderer.Result r = renderer.render(source, 0.5, 9.5, new ClipOptions(-14, -1, true, false), wordsUntil(10),
        1, clip, () -> {});
    assertThat(r.framing()).isEqualTo("face");
    assertThat(r.faceRule()).isEqualTo("speaker");
    Share speaker = centred(look(clip), 0, 9, heights[1], heights[0]);
    System.out.printf("speaker centred in %d of %d sampled frames (%.0f %%)%n", speaker.centred(), speaker.samples(),
        100 * speaker.share());
    assertThat(speaker.share()).as("speaker centred: %s", speaker).isGreaterThanOrEqualTo(0.9);

    // no speech heard (no words): the larger face is followed, and the measurement tells it apart (it can fail)
    Path silent = dir.resolve("silent.mp4");
    ClipRenderer.Result s = renderer.render(source, 0.5, 9.5, new ClipOptions(-14, -1, true, false), List.of(), 1,
        silent, () -> {});
    assertThat(s.faceRule()).isEqualTo("largest");
    List<Sampled> silentFrames = look(silent);
    Share wrong = centred(silentFrames, 0, 9, heights[1], heights[0]);
    Share large = centred(silentFrames, 0, 9, heights[0], heights[1]);
    System.out.printf("without words: speaker centred %s, larger face centred %s%n", wrong, large);
    assertThat(wrong.share()).as("%s", wrong).isLessThan(0.1);
    assertThat(large.share()).as("%s", large).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void whenTheOtherFaceStartsTalkingTheCropFollowsAfterTheHold() throws Exception {
    // the smaller face speaks until 6 s, the larger one after; the clip starts at 0.5 s: the change is at 5.5 s
    Path source = ClipFixtures.twoFaces(dir, ClipPictureTest.facePhoto(), 12, 6);
    double[] heights = faceHeights(source);
    Path clip = dir.resolve("change.mp4");
    ClipRenderer.Result r = renderer.render(source, 0.5, 11.5, new ClipOptions(-14, -1, true, false), wordsUntil(12),
        1, clip, () -> {});
    assertThat(r.faceRule()).isEqualTo("speaker");
    List<Sampled> frames = look(clip);
    Share first = centred(frames, 0, 5.0, heights[1], heights[0]);
    Share second = centred(frames, 5.5 + 1.5, 11, heights[0], heights[1]);
    System.out.printf("first speaker centred %s (%.0f %%), second speaker after the hold %s (%.0f %%)%n", first,
        100 * first.share(), second, 100 * second.share());
    assertThat(first.share()).as("first speaker: %s", first).isGreaterThanOrEqualTo(0.9);
    assertThat(second.share()).as("second speaker: %s", second).isGreaterThanOrEqualTo(0.9);
  }
}

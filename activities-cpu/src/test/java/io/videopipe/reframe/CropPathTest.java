package io.videopipe.reframe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CropPathTest {
  static final int W = 1280;
  static final int CROP = 404;
  static final double FPS = 25;

  static FaceDetector.Face face(double centreX) {
    return new FaceDetector.Face(centreX - 60, 300, 120, 120);
  }

  /** A sample whose faces' mouths were not measured. */
  static CropPath.Sample still(List<FaceDetector.Face> faces) {
    double[] motion = new double[faces.size()];
    java.util.Arrays.fill(motion, Double.NaN);
    return new CropPath.Sample(faces, motion);
  }

  @Test
  void noFaceIsACentreCrop() {
    Map<Integer, CropPath.Sample> samples = new HashMap<>();
    for (int k = 0; k < 100; k += 5) {
      samples.put(k, still(List.of()));
    }
    CropPath p = CropPath.plan(100, FPS, W, CROP, List.of(), samples, List.of());
    assertThat(p.faceSeen()).isFalse();
    assertThat(p.left(0)).isEqualTo(438);
    assertThat(p.left(99)).isEqualTo(438);
  }

  @Test
  void falseAlarmsThatComeAndGoAreNotFollowed() {
    // a detector on a busy picture (samples/talk.mp4's test pattern): a "face" in 5 of 40 samples, each somewhere else
    Map<Integer, CropPath.Sample> samples = new HashMap<>();
    for (int k = 0; k < 200; k += 5) {
      samples.put(k, still(k % 40 == 0 ? List.of(face(150 + 5 * k)) : List.of()));
    }
    CropPath p = CropPath.plan(200, FPS, W, CROP, List.of(), samples, List.of());
    assertThat(p.faceSeen()).isFalse();
    assertThat(p.rule()).isNull();
    for (int k = 0; k < 200; k++) {
      assertThat(p.left(k)).as("frame %d", k).isEqualTo(438);
    }
  }

  @Test
  void aFaceInAThirdOfTheSamplesIsFollowed() {
    Map<Integer, CropPath.Sample> samples = new HashMap<>();
    for (int k = 0; k < 200; k += 5) {
      samples.put(k, still(k % 15 == 0 ? List.of(face(300)) : List.of()));
    }
    CropPath p = CropPath.plan(200, FPS, W, CROP, List.of(), samples, List.of());
    assertThat(p.faceSeen()).isTrue();
    assertThat(p.left(100) + CROP / 2.0).isBetween(300 - 0.1 * CROP, 300 + 0.1 * CROP);
  }

  @Test
  void jitterAndASingleWrongDetectionDoNotMoveTheWindow() {
    Map<Integer, CropPath.Sample> samples = new HashMap<>();
    for (int k = 0; k < 200; k += 5) {
      double jitter = (k / 5 % 2 == 0 ? 4 : -4);
      samples.put(k, still(k == 100 ? List.of(face(1100)) : List.of(face(400 + jitter))));
    }
    CropPath p = CropPath.plan(200, FPS, W, CROP, List.of(), samples, List.of());
    int first = p.left(0);
    for (int k = 0; k < 200; k++) {
      assertThat(p.left(k)).as("frame %d", k).isEqualTo(first);
    }
    assertThat(first + CROP / 2.0).isBetween(400 - 0.1 * CROP, 400 + 0.1 * CROP);
  }

  @Test
  void missedDetectionsHoldAndPanSpeedIsBounded() {
    Map<Integer, CropPath.Sample> samples = new HashMap<>();
    for (int k = 0; k < 250; k += 5) {
      // the face jumps from 300 to 900 at frame 100; frames 60-95 have no detection
      samples.put(k, still(k >= 60 && k < 100 ? List.of() : List.of(face(k < 100 ? 300 : 900))));
    }
    CropPath p = CropPath.plan(250, FPS, W, CROP, List.of(), samples, List.of());
    assertThat(p.left(80)).isEqualTo(p.left(50));
    double maxStepPerFrame = CropPath.MAX_PAN_PER_SEC * CROP / FPS;
    for (int k = 1; k < 250; k++) {
      assertThat((double) Math.abs(p.left(k) - p.left(k - 1))).as("frame %d", k).isLessThanOrEqualTo(maxStepPerFrame + 2);
    }
    assertThat(p.left(249) + CROP / 2.0).isBetween(900 - 0.1 * CROP, 900 + 0.1 * CROP);
  }

  @Test
  void aSceneCutJumpsAtOnce() {
    Map<Integer, CropPath.Sample> samples = new HashMap<>();
    for (int k = 0; k < 200; k += 5) {
      samples.put(k, still(List.of(face(k < 100 ? 300 : 1000))));
    }
    samples.put(100, still(List.of(face(1000))));
    CropPath p = CropPath.plan(200, FPS, W, CROP, List.of(100), samples, List.of());
    assertThat(p.left(99) + CROP / 2.0).isBetween(300 - 0.1 * CROP, 300 + 0.1 * CROP);
    assertThat(p.left(100) + CROP / 2.0).isBetween(1000 - 0.1 * CROP, 1000 + 0.1 * CROP);
  }

  @Test
  void theLargestCentralFaceIsFollowed() {
    FaceDetector.Face small = new FaceDetector.Face(100, 300, 60, 60);
    FaceDetector.Face big = new FaceDetector.Face(700, 300, 200, 200);
    assertThat(CropPath.choose(List.of(small, big), W, null)).isEqualTo(big);
    // once followed, a face is kept unless another is much larger
    FaceDetector.Face near = new FaceDetector.Face(100, 300, 150, 150);
    assertThat(CropPath.choose(List.of(near, big), W, 175.0)).isEqualTo(near);
  }

  static final FaceDetector.Face BIG = new FaceDetector.Face(200, 250, 260, 260);
  static final FaceDetector.Face SMALL = new FaceDetector.Face(880, 300, 150, 150);
  static final List<double[]> SPEECH_ALL = List.<double[]>of(new double[] {0, 100});

  /** 10 s of samples of the big face (still) and the small one, whose mouth moves at {@code small(frame)}. */
  static Map<Integer, CropPath.Sample> twoFaces(java.util.function.IntPredicate smallSpeaks,
      java.util.function.IntPredicate bigSpeaks) {
    Map<Integer, CropPath.Sample> samples = new HashMap<>();
    for (int k = 0; k < 250; k += 5) {
      samples.put(k, new CropPath.Sample(List.of(BIG, SMALL),
          new double[] {bigSpeaks.test(k) ? 6 : 0.2, smallSpeaks.test(k) ? 6 : 0.2}));
    }
    return samples;
  }

  static double centre(CropPath p, int k) {
    return p.left(k) + CROP / 2.0;
  }

  @Test
  void theSpeakerIsFollowedOverALargerSilentFace() {
    CropPath p = CropPath.plan(250, FPS, W, CROP, List.of(), twoFaces(k -> true, k -> false), SPEECH_ALL);
    assertThat(p.rule()).isEqualTo(CropPath.Rule.SPEAKER);
    for (int k = 0; k < 250; k++) {
      assertThat(centre(p, k)).as("frame %d", k).isCloseTo(SMALL.centreX(), org.assertj.core.data.Offset.offset(4.0));
    }
  }

  @Test
  void mouthsMovingWithoutSpeechOrAOneFaceSceneKeepTheLargestFace() {
    CropPath silent = CropPath.plan(250, FPS, W, CROP, List.of(), twoFaces(k -> true, k -> false), List.of());
    assertThat(silent.rule()).isEqualTo(CropPath.Rule.LARGEST);
    assertThat(centre(silent, 120)).isCloseTo(BIG.centreX(), org.assertj.core.data.Offset.offset(4.0));

    Map<Integer, CropPath.Sample> one = new HashMap<>();
    for (int k = 0; k < 250; k += 5) {
      one.put(k, new CropPath.Sample(List.of(SMALL), new double[] {6}));
    }
    assertThat(CropPath.plan(250, FPS, W, CROP, List.of(), one, SPEECH_ALL).rule()).isEqualTo(CropPath.Rule.LARGEST);
  }

  @Test
  void aChangeOfSpeakerCutsToTheNewOneButAShortTurnDoesNotMoveTheWindow() {
    // the small face speaks until 5 s (frame 125), the big one after; the big one also says a word at 2.0-2.6 s
    CropPath p = CropPath.plan(250, FPS, W, CROP, List.of(),
        twoFaces(k -> k < 125, k -> k >= 125 || (k >= 50 && k < 65)), SPEECH_ALL);
    assertThat(p.rule()).isEqualTo(CropPath.Rule.SPEAKER);
    for (int k = 0; k < 115; k++) {
      assertThat(centre(p, k)).as("frame %d", k).isCloseTo(SMALL.centreX(), org.assertj.core.data.Offset.offset(4.0));
    }
    for (int k = 135; k < 250; k++) {
      assertThat(centre(p, k)).as("frame %d", k).isCloseTo(BIG.centreX(), org.assertj.core.data.Offset.offset(4.0));
    }
    // a clean cut: no frame in between
    for (int k = 1; k < 250; k++) {
      double c = centre(p, k);
      assertThat(Math.abs(c - SMALL.centreX()) < 5 || Math.abs(c - BIG.centreX()) < 5).as("frame %d: %s", k, c)
          .isTrue();
    }
  }

  @Test
  void speakersTakingTurnsFasterThanTheHoldDoNotFlipTheWindow() {
    // turns of 0.8 s each: the window stays on the first speaker throughout
    CropPath p = CropPath.plan(250, FPS, W, CROP, List.of(),
        twoFaces(k -> (k / 20) % 2 == 0, k -> (k / 20) % 2 == 1), SPEECH_ALL);
    int first = p.left(0);
    int moves = 0;
    for (int k = 1; k < 250; k++) {
      moves += p.left(k) != p.left(k - 1) ? 1 : 0;
    }
    assertThat(moves).as("window moves (first left %d)", first).isLessThanOrEqualTo(2);
    assertThat(centre(p, 125)).isCloseTo(SMALL.centreX(), org.assertj.core.data.Offset.offset(4.0));
  }
}

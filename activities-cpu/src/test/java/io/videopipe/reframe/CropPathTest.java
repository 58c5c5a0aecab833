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

  @Test
  void noFaceIsACentreCrop() {
    Map<Integer, List<FaceDetector.Face>> samples = new HashMap<>();
    for (int k = 0; k < 100; k += 5) {
      samples.put(k, List.of());
    }
    CropPath p = CropPath.plan(100, FPS, W, CROP, List.of(), samples);
    assertThat(p.faceSeen()).isFalse();
    assertThat(p.left(0)).isEqualTo(438);
    assertThat(p.left(99)).isEqualTo(438);
  }

  @Test
  void jitterAndASingleWrongDetectionDoNotMoveTheWindow() {
    Map<Integer, List<FaceDetector.Face>> samples = new HashMap<>();
    for (int k = 0; k < 200; k += 5) {
      double jitter = (k / 5 % 2 == 0 ? 4 : -4);
      samples.put(k, k == 100 ? List.of(face(1100)) : List.of(face(400 + jitter)));
    }
    CropPath p = CropPath.plan(200, FPS, W, CROP, List.of(), samples);
    int first = p.left(0);
    for (int k = 0; k < 200; k++) {
      assertThat(p.left(k)).as("frame %d", k).isEqualTo(first);
    }
    assertThat(first + CROP / 2.0).isBetween(400 - 0.1 * CROP, 400 + 0.1 * CROP);
  }

  @Test
  void missedDetectionsHoldAndPanSpeedIsBounded() {
    Map<Integer, List<FaceDetector.Face>> samples = new HashMap<>();
    for (int k = 0; k < 250; k += 5) {
      // the face jumps from 300 to 900 at frame 100; frames 60-95 have no detection
      samples.put(k, k >= 60 && k < 100 ? List.of() : List.of(face(k < 100 ? 300 : 900)));
    }
    CropPath p = CropPath.plan(250, FPS, W, CROP, List.of(), samples);
    assertThat(p.left(80)).isEqualTo(p.left(50));
    double maxStepPerFrame = CropPath.MAX_PAN_PER_SEC * CROP / FPS;
    for (int k = 1; k < 250; k++) {
      assertThat((double) Math.abs(p.left(k) - p.left(k - 1))).as("frame %d", k).isLessThanOrEqualTo(maxStepPerFrame + 2);
    }
    assertThat(p.left(249) + CROP / 2.0).isBetween(900 - 0.1 * CROP, 900 + 0.1 * CROP);
  }

  @Test
  void aSceneCutJumpsAtOnce() {
    Map<Integer, List<FaceDetector.Face>> samples = new HashMap<>();
    for (int k = 0; k < 200; k += 5) {
      samples.put(k, List.of(face(k < 100 ? 300 : 1000)));
    }
    samples.put(100, List.of(face(1000)));
    CropPath p = CropPath.plan(200, FPS, W, CROP, List.of(100), samples);
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
}

package io.videopipe.reframe;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The horizontal path of a crop window across a clip, frame by frame, planned from face detections on sampled frames:
 * pure, so the smoothing rules are tested on their own.
 *
 * <p>Per scene (scene cuts split the clip; the window jumps at a cut and never pans across one): the face followed is
 * the largest central one, and, once followed, the one nearest the last position unless another is much larger;
 * samples with no face hold the last position (before the first face: the first face's). A scene with no face at all
 * is centre-cropped. The samples' positions go through a median (drops single wrong detections), a centred moving
 * average (no lag: the whole path is known before encoding), a dead band (a still speaker gives a still window) and a
 * pan speed limit, then are interpolated to every frame.
 */
public final class CropPath {
  /** Median over this many samples. */
  static final int MEDIAN = 5;
  /** Centred moving average half-width, in samples. */
  static final int AVERAGE_HALF = 2;
  /** Movements smaller than this share of the crop width are ignored. */
  static final double DEAD_BAND = 0.03;
  /** The window pans at most this many crop widths per second. */
  static final double MAX_PAN_PER_SEC = 1.5;
  /** Another face takes over from the followed one only when it is this much larger. */
  static final double SWITCH_RATIO = 2.0;

  private final int[] left;
  private final boolean faceSeen;
  private final double faceShare;

  private CropPath(int[] left, boolean faceSeen, double faceShare) {
    this.left = left;
    this.faceSeen = faceSeen;
    this.faceShare = faceShare;
  }

  /** The left edge of the crop at frame {@code k} (even, within the frame). */
  public int left(int k) {
    return left[Math.max(0, Math.min(left.length - 1, k))];
  }

  public int frames() {
    return left.length;
  }

  /** True when a face was followed in at least one scene; false: the whole clip is centre-cropped. */
  public boolean faceSeen() {
    return faceSeen;
  }

  /** Share of the sampled frames in which a face was found. */
  public double faceShare() {
    return faceShare;
  }

  /** A fixed centre crop. */
  public static CropPath centre(int frames, int frameWidth, int cropWidth) {
    int[] left = new int[Math.max(1, frames)];
    Arrays.fill(left, even((frameWidth - cropWidth) / 2.0));
    return new CropPath(left, false, 0);
  }

  /**
   * Plans the path.
   *
   * @param frames number of output frames
   * @param fps output frame rate
   * @param frameWidth the source picture's width
   * @param cropWidth the window's width
   * @param cuts frame indexes where a new scene starts (0 need not be listed)
   * @param samples faces found on sampled frames, keyed by frame index (an empty list: sampled, no face)
   */
  public static CropPath plan(int frames, double fps, int frameWidth, int cropWidth, List<Integer> cuts,
      Map<Integer, List<FaceDetector.Face>> samples) {
    frames = Math.max(1, frames);
    double[] centre = new double[frames];
    boolean anyFace = false;
    int withFace = 0;
    int[] bounds = sceneBounds(frames, cuts);
    for (int s = 0; s + 1 < bounds.length; s++) {
      int from = bounds[s];
      int to = bounds[s + 1];
      int[] at = samples.keySet().stream().filter(k -> k >= from && k < to).sorted().mapToInt(Integer::intValue)
          .toArray();
      double[] target = new double[at.length];
      Double followed = null;
      for (int i = 0; i < at.length; i++) {
        List<FaceDetector.Face> faces = samples.get(at[i]);
        FaceDetector.Face pick = choose(faces, frameWidth, followed);
        target[i] = pick == null ? Double.NaN : pick.centreX();
        if (pick != null) {
          followed = pick.centreX();
          withFace++;
        }
      }
      if (followed == null) {
        Arrays.fill(centre, from, to, frameWidth / 2.0);
        continue;
      }
      anyFace = true;
      fillGaps(target);
      double[] smooth = average(median(target));
      double dt = at.length > 1 ? (at[1] - at[0]) / fps : 1 / fps;
      double[] camera = follow(smooth, cropWidth, dt);
      for (int k = from; k < to; k++) {
        centre[k] = interpolate(at, camera, k);
      }
    }
    int[] left = new int[frames];
    for (int k = 0; k < frames; k++) {
      double l = centre[k] - cropWidth / 2.0;
      left[k] = even(Math.max(0, Math.min(frameWidth - cropWidth, l)));
    }
    int sampled = samples.size();
    return new CropPath(left, anyFace, sampled == 0 ? 0 : (double) withFace / sampled);
  }

  /** Largest central face; once one is followed, the one nearest to it unless another is much larger. */
  static FaceDetector.Face choose(List<FaceDetector.Face> faces, int frameWidth, Double followed) {
    if (faces == null || faces.isEmpty()) {
      return null;
    }
    FaceDetector.Face best = null;
    double bestScore = -1;
    for (FaceDetector.Face f : faces) {
      double offCentre = Math.abs(f.centreX() - frameWidth / 2.0) / (frameWidth / 2.0);
      double score = f.area() * (1 - 0.5 * offCentre);
      if (score > bestScore) {
        bestScore = score;
        best = f;
      }
    }
    if (followed != null) {
      FaceDetector.Face nearest = null;
      for (FaceDetector.Face f : faces) {
        if (nearest == null || Math.abs(f.centreX() - followed) < Math.abs(nearest.centreX() - followed)) {
          nearest = f;
        }
      }
      if (nearest != best && best.area() < SWITCH_RATIO * nearest.area()) {
        return nearest;
      }
    }
    return best;
  }

  private static int[] sceneBounds(int frames, List<Integer> cuts) {
    return java.util.stream.IntStream.concat(
            java.util.stream.IntStream.of(0, frames),
            cuts.stream().mapToInt(Integer::intValue).filter(c -> c > 0 && c < frames))
        .distinct().sorted().toArray();
  }

  /** Missing samples hold the last position; leading ones take the first seen. */
  static void fillGaps(double[] v) {
    double last = Double.NaN;
    for (int i = 0; i < v.length; i++) {
      if (Double.isNaN(v[i])) {
        v[i] = last;
      } else {
        last = v[i];
      }
    }
    double first = Double.NaN;
    for (int i = v.length - 1; i >= 0; i--) {
      if (Double.isNaN(v[i])) {
        v[i] = first;
      } else {
        first = v[i];
      }
    }
  }

  static double[] median(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      int a = Math.max(0, i - MEDIAN / 2);
      int b = Math.min(v.length, i + MEDIAN / 2 + 1);
      double[] w = Arrays.copyOfRange(v, a, b);
      Arrays.sort(w);
      out[i] = w.length % 2 == 1 ? w[w.length / 2] : (w[w.length / 2 - 1] + w[w.length / 2]) / 2;
    }
    return out;
  }

  static double[] average(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      int a = Math.max(0, i - AVERAGE_HALF);
      int b = Math.min(v.length - 1, i + AVERAGE_HALF);
      double sum = 0;
      for (int j = a; j <= b; j++) {
        sum += v[j];
      }
      out[i] = sum / (b - a + 1);
    }
    return out;
  }

  /** The camera: holds inside the dead band, otherwise moves towards the target no faster than the pan limit. */
  static double[] follow(double[] target, int cropWidth, double dtSec) {
    double[] cam = new double[target.length];
    double maxStep = MAX_PAN_PER_SEC * cropWidth * dtSec;
    double band = DEAD_BAND * cropWidth;
    for (int i = 0; i < target.length; i++) {
      if (i == 0) {
        cam[i] = target[i];
        continue;
      }
      double error = target[i] - cam[i - 1];
      double move = Math.abs(error) <= band ? 0 : error - Math.signum(error) * band;
      cam[i] = cam[i - 1] + Math.max(-maxStep, Math.min(maxStep, move));
    }
    return cam;
  }

  private static double interpolate(int[] at, double[] v, int k) {
    if (k <= at[0]) {
      return v[0];
    }
    if (k >= at[at.length - 1]) {
      return v[v.length - 1];
    }
    int i = Arrays.binarySearch(at, k);
    if (i >= 0) {
      return v[i];
    }
    int hi = -i - 1;
    int lo = hi - 1;
    double f = (double) (k - at[lo]) / (at[hi] - at[lo]);
    return v[lo] + f * (v[hi] - v[lo]);
  }

  static int even(double v) {
    return Math.max(0, (int) Math.floor(v / 2) * 2);
  }
}

package io.videopipe.reframe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The horizontal path of a crop window across a clip, frame by frame, planned from face detections on sampled frames:
 * pure, so the smoothing rules are tested on their own.
 *
 * <p>Per scene (scene cuts split the clip; the window jumps at a cut and never pans across one): when two or more faces
 * are seen and one of them speaks (its mouth moves, clearly more than the others', while speech is heard), the face
 * followed is the speaker's ({@link Rule#SPEAKER}): faces are tracked from sample to sample, each track's mouth motion
 * is averaged over a few samples around each one, pauses keep the last speaker, and a speaker is held at least {@value
 * #MIN_HOLD_SEC} s (a shorter turn does not move the window); at a change of speaker the window jumps at once when the
 * new face is outside it, else pans. Otherwise ({@link Rule#LARGEST}) the face followed is the largest central one,
 * and, once followed, the one nearest the last position unless another is much larger. Samples with no face hold the
 * last position (before the first face: the first face's). A scene whose samples show a face in fewer than {@value
 * #MIN_SCENE_FACE_SHARE} of them (at least two) is centre-cropped: a person on screen is found far more often than
 * that, while a detector's false alarms on a busy picture (a test pattern, text, foliage) come and go. The samples'
 * positions go through a median (drops single wrong detections), a centred moving average (no lag: the whole path is
 * known before encoding), a dead band (a still speaker gives a still window) and a pan speed limit, then are
 * interpolated to every frame.
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
  /**
   * A mouth speaks when its motion (mean absolute luma change per pixel of the lower face, less the upper face's), on
   * average around a sample, is at least this...
   */
  static final double MOUTH_MOVING = 1.5;
  /** ...and this many times the next most moving mouth's. */
  static final double SPEAKER_MARGIN = 2.0;
  /** Mouth motion is averaged over this many samples either side of each (no lag: the whole clip is known). */
  static final int MOUTH_HALF = 3;
  /** A speaker followed is kept at least this long: shorter turns do not move the window. */
  static final double MIN_HOLD_SEC = 1.5;
  /** Mouths move a little before a word is heard and after it ends. */
  static final double SPEECH_PAD_SEC = 0.2;
  /** A scene is reframed on faces only when this share of its samples (and at least two) show one. */
  static final double MIN_SCENE_FACE_SHARE = 0.3;

  /** Which rule picked the face followed. */
  public enum Rule {
    /** The face whose mouth moves while speech is heard. */
    SPEAKER,
    /** The largest central face (one face, or no mouth moving). */
    LARGEST;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One sampled frame.
   *
   * @param faces the faces found, largest first
   * @param mouthMotion per face (same order), the mean absolute luma change of its mouth region since a frame shortly
   *     before, less that of its upper face (head motion), per pixel; NaN where not measured
   */
  public record Sample(List<FaceDetector.Face> faces, double[] mouthMotion) {}

  private final int[] left;
  private final boolean faceSeen;
  private final double faceShare;
  private final Rule rule;

  private CropPath(int[] left, boolean faceSeen, double faceShare, Rule rule) {
    this.left = left;
    this.faceSeen = faceSeen;
    this.faceShare = faceShare;
    this.rule = rule;
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
    return new CropPath(left, false, 0, null);
  }

  /**
   * {@link Rule#SPEAKER} when a speaker was followed in at least one scene, {@link Rule#LARGEST} when faces were
   * followed by size only, null when no face was followed.
   */
  public Rule rule() {
    return rule;
  }

  /**
   * Plans the path.
   *
   * @param frames number of output frames
   * @param fps output frame rate
   * @param frameWidth the source picture's width
   * @param cropWidth the window's width
   * @param cuts frame indexes where a new scene starts (0 need not be listed)
   * @param samples the sampled frames, keyed by frame index (no faces: sampled, none found)
   * @param speechSec when speech is heard, {start, end} s from the clip's start (the transcript's words)
   */
  public static CropPath plan(int frames, double fps, int frameWidth, int cropWidth, List<Integer> cuts,
      Map<Integer, Sample> samples, List<double[]> speechSec) {
    frames = Math.max(1, frames);
    double[] centre = new double[frames];
    boolean anyFace = false;
    boolean speakerFollowed = false;
    int withFace = 0;
    int[] bounds = sceneBounds(frames, cuts);
    for (int s = 0; s + 1 < bounds.length; s++) {
      int from = bounds[s];
      int to = bounds[s + 1];
      int[] at = samples.keySet().stream().filter(k -> k >= from && k < to).sorted().mapToInt(Integer::intValue)
          .toArray();
      List<Sample> seen = new ArrayList<>();
      int sceneWithFace = 0;
      for (int k : at) {
        seen.add(samples.get(k));
        sceneWithFace += samples.get(k).faces().isEmpty() ? 0 : 1;
      }
      withFace += sceneWithFace;
      if (sceneWithFace < Math.max(Math.min(2, at.length), MIN_SCENE_FACE_SHARE * at.length)) {
        Arrays.fill(centre, from, to, frameWidth / 2.0);
        continue;
      }
      int[][] track = tracks(seen);
      int[] speaker = speakers(at, to, fps, seen, track, speechSec);
      double[] target = new double[at.length];
      List<Integer> jumps = new ArrayList<>();
      boolean found = false;
      if (speaker != null) {
        speakerFollowed = true;
        found = true;
        double last = Double.NaN;
        for (int i = 0; i < at.length; i++) {
          target[i] = centreOf(seen.get(i), track[i], speaker[i]);
          if (i > 0 && speaker[i] != speaker[i - 1]) {
            double next = firstCentre(seen, track, speaker, i);
            // the new speaker outside the window: a clean cut, not a pan across the space between them
            if (!Double.isNaN(last) && !Double.isNaN(next) && Math.abs(next - last) > cropWidth / 2.0) {
              jumps.add(i);
            }
          }
          if (!Double.isNaN(target[i])) {
            last = target[i];
          }
        }
      } else {
        Double followed = null;
        for (int i = 0; i < at.length; i++) {
          FaceDetector.Face pick = choose(seen.get(i).faces(), frameWidth, followed);
          target[i] = pick == null ? Double.NaN : pick.centreX();
          if (pick != null) {
            followed = pick.centreX();
            found = true;
          }
        }
      }
      if (!found) {
        Arrays.fill(centre, from, to, frameWidth / 2.0);
        continue;
      }
      anyFace = true;
      jumps.add(at.length);
      int first = 0;
      for (int end : jumps) {
        int segFrom = first == 0 ? from : at[first];
        int segTo = end == at.length ? to : at[end];
        double[] part = Arrays.copyOfRange(target, first, end);
        int[] partAt = Arrays.copyOfRange(at, first, end);
        fillGaps(part);
        if (Double.isNaN(part[0])) {
          // a stretch whose speaker was never found in it: the window stays where it was
          Arrays.fill(part, segFrom > from ? centre[segFrom - 1] : frameWidth / 2.0);
        }
        double[] smooth = average(median(part));
        double dt = at.length > 1 ? (at[1] - at[0]) / fps : 1 / fps;
        double[] camera = follow(smooth, cropWidth, dt);
        for (int k = segFrom; k < segTo; k++) {
          centre[k] = interpolate(partAt, camera, k);
        }
        first = end;
      }
    }
    int[] left = new int[frames];
    for (int k = 0; k < frames; k++) {
      double l = centre[k] - cropWidth / 2.0;
      left[k] = even(Math.max(0, Math.min(frameWidth - cropWidth, l)));
    }
    int sampled = samples.size();
    Rule rule = !anyFace ? null : speakerFollowed ? Rule.SPEAKER : Rule.LARGEST;
    return new CropPath(left, anyFace, sampled == 0 ? 0 : (double) withFace / sampled, rule);
  }

  /**
   * The faces of a scene's samples grouped into tracks: each face joins the track whose last face is nearest (within
   * three quarters of a face width), else starts one. Per sample, per face: its track.
   */
  static int[][] tracks(List<Sample> seen) {
    List<double[]> last = new ArrayList<>();
    int[][] ids = new int[seen.size()][];
    for (int i = 0; i < seen.size(); i++) {
      List<FaceDetector.Face> faces = seen.get(i).faces();
      ids[i] = new int[faces.size()];
      boolean[] taken = new boolean[last.size() + faces.size()];
      for (int j = 0; j < faces.size(); j++) {
        FaceDetector.Face f = faces.get(j);
        int best = -1;
        double bestDistance = Double.MAX_VALUE;
        for (int t = 0; t < last.size(); t++) {
          double d = Math.abs(f.centreX() - last.get(t)[0]);
          if (!taken[t] && d < 0.75 * Math.max(f.width(), last.get(t)[1]) && d < bestDistance) {
            best = t;
            bestDistance = d;
          }
        }
        if (best < 0) {
          best = last.size();
          last.add(null);
        }
        last.set(best, new double[] {f.centreX(), f.width()});
        taken[best] = true;
        ids[i][j] = best;
      }
    }
    return ids;
  }

  /**
   * The track followed at each sample of a scene by the speaker rule, or null when it does not apply (fewer than two
   * faces, or no mouth clearly moving while speech is heard).
   */
  static int[] speakers(int[] at, int sceneEnd, double fps, List<Sample> seen, int[][] track,
      List<double[]> speechSec) {
    int tracks = Arrays.stream(track).flatMapToInt(Arrays::stream).max().orElse(-1) + 1;
    if (tracks < 2) {
      return null;
    }
    int n = at.length;
    double[][] motion = new double[tracks][n];
    for (double[] m : motion) {
      Arrays.fill(m, Double.NaN);
    }
    for (int i = 0; i < n; i++) {
      if (heard(at[i] / fps, speechSec)) {
        for (int j = 0; j < track[i].length; j++) {
          motion[track[i][j]][i] = seen.get(i).mouthMotion()[j];
        }
      }
    }
    int[] speaker = new int[n];
    boolean any = false;
    for (int i = 0; i < n; i++) {
      int best = -1;
      double bestMotion = 0;
      double second = 0;
      for (int t = 0; t < tracks; t++) {
        double m = meanAround(motion[t], i);
        if (Double.isNaN(m)) {
          continue;
        }
        if (m > bestMotion) {
          second = bestMotion;
          bestMotion = m;
          best = t;
        } else if (m > second) {
          second = m;
        }
      }
      boolean speaks = best >= 0 && bestMotion >= MOUTH_MOVING && bestMotion >= SPEAKER_MARGIN * second;
      speaker[i] = speaks ? best : -1;
      any |= speaks;
    }
    if (!any) {
      return null;
    }
    // pauses keep the last speaker; before the first one speaks, the first one
    int last = -1;
    for (int i = 0; i < n; i++) {
      last = speaker[i] >= 0 ? speaker[i] : last;
      speaker[i] = last;
    }
    int firstSpeaker = Arrays.stream(speaker).filter(t -> t >= 0).findFirst().orElseThrow();
    for (int i = 0; i < n && speaker[i] < 0; i++) {
      speaker[i] = firstSpeaker;
    }
    holdTurns(at, sceneEnd, fps, speaker);
    return speaker;
  }

  /** Turns shorter than {@link #MIN_HOLD_SEC} go to the speaker before them (the first turn: the one after it). */
  static void holdTurns(int[] at, int sceneEnd, double fps, int[] speaker) {
    boolean merged = true;
    while (merged) {
      merged = false;
      int start = 0;
      for (int i = 1; i <= speaker.length; i++) {
        if (i < speaker.length && speaker[i] == speaker[start]) {
          continue;
        }
        double sec = ((i < speaker.length ? at[i] : sceneEnd) - at[start]) / fps;
        boolean whole = start == 0 && i == speaker.length;
        if (!whole && sec < MIN_HOLD_SEC) {
          int into = start > 0 ? speaker[start - 1] : speaker[i];
          Arrays.fill(speaker, start, i, into);
          merged = true;
          break;
        }
        start = i;
      }
    }
  }

  private static double meanAround(double[] v, int i) {
    double sum = 0;
    int count = 0;
    for (int j = Math.max(0, i - MOUTH_HALF); j <= Math.min(v.length - 1, i + MOUTH_HALF); j++) {
      if (!Double.isNaN(v[j])) {
        sum += v[j];
        count++;
      }
    }
    return count < 2 ? Double.NaN : sum / count;
  }

  private static boolean heard(double sec, List<double[]> speechSec) {
    for (double[] s : speechSec) {
      if (sec >= s[0] - SPEECH_PAD_SEC && sec <= s[1] + SPEECH_PAD_SEC) {
        return true;
      }
    }
    return false;
  }

  private static double centreOf(Sample sample, int[] track, int wanted) {
    for (int j = 0; j < track.length; j++) {
      if (track[j] == wanted) {
        return sample.faces().get(j).centreX();
      }
    }
    return Double.NaN;
  }

  private static double firstCentre(List<Sample> seen, int[][] track, int[] speaker, int from) {
    for (int i = from; i < seen.size() && speaker[i] == speaker[from]; i++) {
      double c = centreOf(seen.get(i), track[i], speaker[i]);
      if (!Double.isNaN(c)) {
        return c;
      }
    }
    return Double.NaN;
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

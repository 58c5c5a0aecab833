package io.videopipe.reframe;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches a clip's frames before it is encoded and plans the crop window's path: every frame feeds a tiny thumbnail
 * for scene cut detection; {@value #SAMPLES_PER_SEC} frames a second (and the first frame of each scene) go through
 * the face detector, and each face found gets its mouth motion measured against a frame {@value #MOUTH_LAG_SEC} s
 * before (for the speaker rule of {@link CropPath}). Feed frames in order with {@link #offer}, then call {@link #plan}.
 */
public final class FaceTracker implements AutoCloseable {
  static final int SAMPLES_PER_SEC = 5;
  static final int THUMB_W = 32;
  static final int THUMB_H = 18;
  /** Mean absolute luma difference between consecutive frames' thumbnails that marks a scene cut. */
  static final double CUT_THRESHOLD = 28;
  /** Mouth motion compares a sampled frame with the one this long before (a syllable opens the mouth in ~0.1 s). */
  static final double MOUTH_LAG_SEC = 0.08;

  private final int frames;
  private final double fps;
  private final int width;
  private final int height;
  private final int cropWidth;
  private final int every;
  private final int lag;
  private final FaceDetector detector = new FaceDetector(FaceDetector.Cascade.HAAR_FRONTAL);
  private final Map<Integer, CropPath.Sample> samples = new HashMap<>();
  private final List<Integer> cuts = new ArrayList<>();
  private int[] previous;
  /** The luma of frame {@link #referenceFrame}, {@link #lag} frames before the next sample. */
  private final byte[] reference;
  private int referenceFrame = -1;

  public FaceTracker(int frames, double fps, int width, int height, int cropWidth) {
    this.frames = frames;
    this.fps = fps;
    this.width = width;
    this.height = height;
    this.cropWidth = cropWidth;
    this.every = Math.max(1, (int) Math.round(fps / SAMPLES_PER_SEC));
    this.lag = Math.max(1, Math.min(every, (int) Math.round(fps * MOUTH_LAG_SEC)));
    this.reference = new byte[width * height];
  }

  /** Frame {@code k}'s luma plane (rows {@code stride} bytes apart). */
  public void offer(int k, ByteBuffer luma, int stride) {
    int[] thumb = thumbnail(luma, stride);
    boolean cut = previous != null && difference(previous, thumb) > CUT_THRESHOLD;
    previous = thumb;
    if (cut) {
      cuts.add(k);
    }
    if (cut || k % every == 0) {
      List<FaceDetector.Face> faces = detector.detect(luma, width, height, stride);
      double[] motion = new double[faces.size()];
      Arrays.fill(motion, Double.NaN);
      boolean sameScene = referenceFrame == k - lag && (cuts.isEmpty() || cuts.get(cuts.size() - 1) <= referenceFrame);
      if (sameScene) {
        for (int j = 0; j < faces.size(); j++) {
          motion[j] = mouthMotion(faces.get(j), luma, stride);
        }
      }
      samples.put(k, new CropPath.Sample(faces, motion));
    }
    if ((k + lag) % every == 0) {
      ByteBuffer rows = luma.duplicate();
      for (int y = 0; y < height; y++) {
        rows.position(y * stride);
        rows.get(reference, y * width, width);
      }
      referenceFrame = k;
    }
  }

  /**
   * @param speechSec when speech is heard, {start, end} s from the clip's start
   */
  public CropPath plan(List<double[]> speechSec) {
    return CropPath.plan(frames, fps, width, cropWidth, cuts, samples, speechSec);
  }

  /**
   * How much the face's mouth moved since the reference frame: the mean absolute luma change per pixel over the lower
   * third of the face box (its middle half across), less the change over the band of the eyes and nose (which moves
   * with the head, not the mouth); 0 or more.
   */
  private double mouthMotion(FaceDetector.Face face, ByteBuffer luma, int stride) {
    int x0 = clamp(face.x() + 0.25 * face.width(), width);
    int x1 = clamp(face.x() + 0.75 * face.width(), width);
    double mouth = change(luma, stride, x0, x1, clamp(face.y() + face.height() * 2 / 3, height),
        clamp(face.y() + face.height(), height));
    double upper = change(luma, stride, x0, x1, clamp(face.y() + face.height() / 6, height),
        clamp(face.y() + face.height() / 2, height));
    return Double.isNaN(mouth) || Double.isNaN(upper) ? Double.NaN : Math.max(0, mouth - upper);
  }

  private double change(ByteBuffer luma, int stride, int x0, int x1, int y0, int y1) {
    long sum = 0;
    int count = 0;
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        sum += Math.abs((luma.get(y * stride + x) & 255) - (reference[y * width + x] & 255));
        count++;
      }
    }
    return count == 0 ? Double.NaN : (double) sum / count;
  }

  private static int clamp(double v, int limit) {
    return Math.max(0, Math.min(limit, (int) Math.round(v)));
  }

  /** Scene cuts seen so far (frame indexes). */
  public List<Integer> cuts() {
    return List.copyOf(cuts);
  }

  private int[] thumbnail(ByteBuffer luma, int stride) {
    int[] t = new int[THUMB_W * THUMB_H];
    for (int j = 0; j < THUMB_H; j++) {
      int y = (int) ((j + 0.5) * height / THUMB_H);
      for (int i = 0; i < THUMB_W; i++) {
        int x = (int) ((i + 0.5) * width / THUMB_W);
        t[j * THUMB_W + i] = luma.get(y * stride + x) & 255;
      }
    }
    return t;
  }

  private static double difference(int[] a, int[] b) {
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return (double) sum / a.length;
  }

  @Override
  public void close() {
    detector.close();
  }
}

package io.videopipe.reframe;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches a clip's frames before it is encoded and plans the crop window's path: every frame feeds a tiny thumbnail
 * for scene cut detection; {@value #SAMPLES_PER_SEC} frames a second (and the first frame of each scene) go through
 * the face detector. Feed frames in order with {@link #offer}, then call {@link #plan}.
 */
public final class FaceTracker implements AutoCloseable {
  static final int SAMPLES_PER_SEC = 5;
  static final int THUMB_W = 32;
  static final int THUMB_H = 18;
  /** Mean absolute luma difference between consecutive frames' thumbnails that marks a scene cut. */
  static final double CUT_THRESHOLD = 28;

  private final int frames;
  private final double fps;
  private final int width;
  private final int height;
  private final int cropWidth;
  private final int every;
  private final FaceDetector detector = new FaceDetector(FaceDetector.Cascade.HAAR_FRONTAL);
  private final Map<Integer, List<FaceDetector.Face>> samples = new HashMap<>();
  private final List<Integer> cuts = new ArrayList<>();
  private int[] previous;

  public FaceTracker(int frames, double fps, int width, int height, int cropWidth) {
    this.frames = frames;
    this.fps = fps;
    this.width = width;
    this.height = height;
    this.cropWidth = cropWidth;
    this.every = Math.max(1, (int) Math.round(fps / SAMPLES_PER_SEC));
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
      samples.put(k, detector.detect(luma, width, height, stride));
    }
  }

  public CropPath plan() {
    return CropPath.plan(frames, fps, width, cropWidth, cuts, samples);
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

package io.videopipe.reframe;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Measures how well a rendered clip keeps a face centred, independently of the renderer: decodes the clip, samples
 * {@value #SAMPLES_PER_SEC} frames a second and looks for faces with QA's own cascade. A sample counts as centred when
 * the largest face's centre lies in the middle fifth of the width.
 */
public final class FramingProbe {
  static final int SAMPLES_PER_SEC = 4;

  /**
   * @param samples frames looked at
   * @param withFace frames in which a face was found
   * @param centred frames whose largest face's centre lies in the middle fifth of the width
   */
  public record Measurement(int samples, int withFace, int centred) {
    /** Centred share of the frames with a face (0 when none has one). */
    public double centredShare() {
      return withFace == 0 ? 0 : (double) centred / withFace;
    }

    public double faceShare() {
      return samples == 0 ? 0 : (double) withFace / samples;
    }
  }

  private FramingProbe() {}

  /** One sampled frame: its time and the faces the cascade found, largest first, centres as a share of the width. */
  public record Sample(double sec, java.util.List<FaceDetector.Face> faces, int width) {}

  /** The frames looked at, {@value #SAMPLES_PER_SEC} a second of {@code clip}, with the faces on each. */
  public static void sample(Path clip, FaceDetector.Cascade cascade, java.util.function.Consumer<Sample> each)
      throws IOException {
    try (FaceDetector detector = new FaceDetector(cascade);
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile())) {
      g.setPixelFormat(AV_PIX_FMT_GRAY8);
      g.start();
      double next = 0;
      Frame f;
      while ((f = g.grabImage()) != null) {
        double t = f.timestamp / 1e6;
        if (t + 1e-6 < next) {
          continue;
        }
        next += 1.0 / SAMPLES_PER_SEC;
        ByteBuffer luma = ((ByteBuffer) f.image[0]).duplicate();
        each.accept(new Sample(t, detector.detect(luma, f.imageWidth, f.imageHeight, f.imageStride), f.imageWidth));
      }
    } catch (FrameGrabber.Exception e) {
      throw new IOException("cannot decode " + clip + ": " + e.getMessage(), e);
    }
  }

  public static Measurement measure(Path clip, FaceDetector.Cascade cascade, Runnable progress) throws IOException {
    int[] counts = new int[3]; // samples, withFace, centred
    sample(clip, cascade, s -> {
      counts[0]++;
      if (!s.faces().isEmpty()) {
        counts[1]++;
        double x = s.faces().get(0).centreX() / s.width();
        if (x >= 0.4 && x <= 0.6) {
          counts[2]++;
        }
      }
      if (counts[0] % 8 == 0) {
        progress.run();
      }
    });
    return new Measurement(counts[0], counts[1], counts[2]);
  }
}

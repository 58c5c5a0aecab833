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

  public static Measurement measure(Path clip, FaceDetector.Cascade cascade, Runnable progress) throws IOException {
    int samples = 0;
    int withFace = 0;
    int centred = 0;
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
        samples++;
        ByteBuffer luma = ((ByteBuffer) f.image[0]).duplicate();
        var faces = detector.detect(luma, f.imageWidth, f.imageHeight, f.imageStride);
        if (!faces.isEmpty()) {
          withFace++;
          double x = faces.get(0).centreX() / f.imageWidth;
          if (x >= 0.4 && x <= 0.6) {
            centred++;
          }
        }
        if (samples % 8 == 0) {
          progress.run();
        }
      }
    } catch (FrameGrabber.Exception e) {
      throw new IOException("cannot decode " + clip + ": " + e.getMessage(), e);
    }
    return new Measurement(samples, withFace, centred);
  }
}

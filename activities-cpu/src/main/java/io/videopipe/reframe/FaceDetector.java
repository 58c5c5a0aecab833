package io.videopipe.reframe;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

/**
 * Finds frontal faces in a greyscale (luma) picture with one of the OpenCV cascades that ship inside the bytedeco
 * opencv native jar. Not thread-safe: one detector per thread. The renderer and QA use different cascades, so QA's
 * measurement of a reframed clip does not share the renderer's blind spots.
 */
public final class FaceDetector implements AutoCloseable {

  /** The cascades used: the renderer's and QA's. */
  public enum Cascade {
    /** Viola-Jones Haar cascade: the renderer's. */
    HAAR_FRONTAL("haarcascades/haarcascade_frontalface_default.xml", 5),
    /** Another Haar cascade, trained separately (tree of stumps): QA's independent check. */
    HAAR_FRONTAL_ALT2("haarcascades/haarcascade_frontalface_alt2.xml", 3),
    /** Local binary patterns cascade trained on other data. */
    LBP_FRONTAL_IMPROVED("lbpcascades/lbpcascade_frontalface_improved.xml", 3);

    final String resource;
    final int minNeighbours;

    Cascade(String resource, int minNeighbours) {
      this.resource = resource;
      this.minNeighbours = minNeighbours;
    }
  }

  /** A face, in the analysed picture's pixels. */
  public record Face(double x, double y, double width, double height) {
    public double centreX() {
      return x + width / 2;
    }

    public double area() {
      return width * height;
    }
  }

  /** Pictures are scaled down to this height before detection (faces of a talking head stay far above the minimum). */
  static final int DETECT_HEIGHT = 360;

  private final Cascade cascade;
  private final CascadeClassifier classifier;
  private final Mat small = new Mat();
  private final Mat equalised = new Mat();
  private final RectVector found = new RectVector();

  public FaceDetector(Cascade cascade) {
    this.cascade = cascade;
    Path file = extract(cascade);
    try {
      this.classifier = new CascadeClassifier(file.toString());
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temp file; nothing else refers to it
      }
    }
    if (classifier.empty()) {
      throw new IllegalStateException("OpenCV cascade " + cascade.resource + " did not load");
    }
  }

  private static Path extract(Cascade cascade) {
    String name = "/org/bytedeco/opencv/" + Loader.getPlatform() + "/share/opencv4/" + cascade.resource;
    try (InputStream in = FaceDetector.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no " + name + " on the classpath (the bytedeco opencv native jar for "
            + Loader.getPlatform() + ")");
      }
      Path file = Files.createTempFile("videopipe-cascade-", ".xml");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + name, e);
    }
  }

  public Cascade cascade() {
    return cascade;
  }

  /**
   * The faces in an 8-bit luma plane (row {@code stride} bytes apart), in that plane's pixels, largest first.
   * Faces smaller than a twelfth of the picture's height are ignored.
   */
  public List<Face> detect(ByteBuffer luma, int width, int height, int stride) {
    double scale = Math.min(1.0, (double) DETECT_HEIGHT / height);
    try (BytePointer data = new BytePointer(luma);
        Mat plane = new Mat(height, width, CV_8UC1, data, stride)) {
      Mat input = plane;
      if (scale < 1.0) {
        resize(plane, small, new Size((int) Math.round(width * scale), (int) Math.round(height * scale)), 0, 0,
            INTER_AREA);
        input = small;
      }
      equalizeHist(input, equalised);
      int min = Math.max(24, equalised.rows() / 12);
      classifier.detectMultiScale(equalised, found, 1.1, cascade.minNeighbours, 0, new Size(min, min), new Size());
      List<Face> faces = new ArrayList<>();
      for (long i = 0; i < found.size(); i++) {
        Rect r = found.get(i);
        faces.add(new Face(r.x() / scale, r.y() / scale, r.width() / scale, r.height() / scale));
      }
      faces.sort((a, b) -> Double.compare(b.area(), a.area()));
      return faces;
    }
  }

  @Override
  public void close() {
    found.close();
    small.close();
    equalised.close();
    classifier.close();
  }
}

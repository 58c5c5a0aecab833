package io.videopipe.captions;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;

import io.videopipe.transcribe.Word;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Looks for burned-in captions in a rendered clip where and when the transcript says they are: in the caption band of
 * {@link CaptionStyle}, text (bright strokes edged by dark outline) must be there at the middle of every spoken word,
 * and must not be there in the middle of a pause longer than a page break. Independent of the burner's pagination:
 * only the words' times and the band are shared.
 */
public final class CaptionProbe {
  /** Share of the band's pixels that are text-like when a caption is shown (measured: 2-10 %). */
  public static final double PRESENT_SHARE = 0.01;
  /** ...and at most this share in a pause (a picture's own edges). */
  public static final double ABSENT_SHARE = 0.002;
  static final int BRIGHT = 190;
  static final int DARK = 70;
  static final int REACH = 4;

  /** Text-like share of the band at each probed time: {@code expectText} says whether words are spoken there. */
  public record Sample(double timeSec, boolean expectText, double textShare) {
    public boolean ok() {
      return expectText ? textShare >= PRESENT_SHARE : textShare <= ABSENT_SHARE;
    }
  }

  private CaptionProbe() {}

  /** The times to probe: each word's middle (text expected) and the middle of each pause over the page break. */
  public static List<double[]> probeTimes(List<Word> clipWords, double durationSec) {
    List<double[]> times = new ArrayList<>();
    double lastEnd = 0;
    boolean first = true;
    for (Word w : clipWords) {
      double gapStart = first ? 0 : lastEnd;
      if (w.start() - gapStart > CaptionBurner.PAUSE_SEC + 0.4) {
        times.add(new double[] {(gapStart + w.start()) / 2, 0});
      }
      times.add(new double[] {(w.start() + w.end()) / 2, 1});
      lastEnd = w.end();
      first = false;
    }
    if (!first && durationSec - lastEnd > CaptionBurner.PAUSE_SEC + 0.4) {
      times.add(new double[] {(lastEnd + durationSec) / 2, 0});
    }
    return times;
  }

  /** Decodes the clip and measures the band at each of {@code times} ({time, 1 if text expected else 0}). */
  public static List<Sample> measure(Path clip, List<double[]> times, Runnable progress) throws IOException {
    List<Sample> out = new ArrayList<>();
    if (times.isEmpty()) {
      return out;
    }
    List<double[]> sorted = new ArrayList<>(times);
    sorted.sort((a, b) -> Double.compare(a[0], b[0]));
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile())) {
      g.setPixelFormat(AV_PIX_FMT_GRAY8);
      g.start();
      double frame = g.getFrameRate() > 0 ? 1 / g.getFrameRate() : 0.04;
      int i = 0;
      Frame f;
      while (i < sorted.size() && (f = g.grabImage()) != null) {
        double t = f.timestamp / 1e6;
        // each time is looked at on the frame shown then (the nearest one)
        while (i < sorted.size() && sorted.get(i)[0] < t + frame / 2 + 1e-6) {
          ByteBuffer luma = ((ByteBuffer) f.image[0]).duplicate();
          out.add(new Sample(sorted.get(i)[0], sorted.get(i)[1] > 0,
              textShare(luma, f.imageWidth, f.imageHeight, f.imageStride)));
          i++;
        }
        progress.run();
      }
    } catch (FrameGrabber.Exception e) {
      throw new IOException("cannot decode " + clip + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** Share of the band's pixels that are bright with a dark pixel within a few pixels to the left or right. */
  static double textShare(ByteBuffer luma, int width, int height, int stride) {
    CaptionStyle.Band band = CaptionStyle.band(width, height);
    long text = 0;
    long all = 0;
    for (int y = band.top(); y < band.bottom(); y++) {
      int row = y * stride;
      for (int x = band.left(); x < band.right(); x++) {
        all++;
        if ((luma.get(row + x) & 255) < BRIGHT) {
          continue;
        }
        boolean edged = false;
        for (int d = 1; d <= REACH && !edged; d++) {
          edged = x - d >= 0 && (luma.get(row + x - d) & 255) <= DARK
              || x + d < width && (luma.get(row + x + d) & 255) <= DARK;
        }
        if (edged) {
          text++;
        }
      }
    }
    return all == 0 ? 0 : (double) text / all;
  }
}

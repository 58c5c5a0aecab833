package io.videopipe.clip;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_BT2020;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_ARIB_STD_B67;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_SMPTE2084;

import io.videopipe.pipeline.ErrorTypes;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * The pictures of one segment of a source on the clip's constant frame-rate grid, as 8-bit BT.709 yuv420p: frame
 * {@code k} is the source picture shown at {@code start + k / fps}. Sources above 30 fps are decimated by whole
 * factors (60 -> 30, 50 -> 25); a variable frame rate source is put on the grid by dropping pictures that land on the
 * same slot and repeating the last one over gaps. PQ and HLG sources are tone-mapped to SDR and 10-bit or BT.2020
 * sources converted to 8-bit BT.709 by zimg (zscale) and FFmpeg's tonemap filter; 8-bit BT.709/601 sources pass
 * through untouched.
 */
final class SegmentVideo implements AutoCloseable {
  /** The receiver of each grid frame. */
  interface Sink {
    void frame(int k, Yuv picture) throws IOException;
  }

  /** A tightly described 8-bit yuv420p picture (planes inside one buffer). */
  record Yuv(ByteBuffer data, int width, int height, int lumaStride, int chromaStride, int uOffset, int vOffset) {
    static Yuv packed(int width, int height) {
      int cw = (width + 1) / 2;
      int ch = (height + 1) / 2;
      ByteBuffer b = ByteBuffer.allocateDirect(width * height + 2 * cw * ch);
      return new Yuv(b, width, height, width, cw, width * height, width * height + cw * ch);
    }

    /** The luma plane alone (what a face detector looks at). */
    ByteBuffer luma() {
      return data.duplicate().position(0).limit(lumaStride * height).slice();
    }

    /** A JavaCV frame over this buffer, as the recorder expects yuv420p: planes packed one after the other. */
    Frame frame() {
      Frame f = new Frame();
      f.imageWidth = width;
      f.imageHeight = height;
      f.imageDepth = Frame.DEPTH_UBYTE;
      f.imageChannels = 1;
      f.imageStride = lumaStride;
      f.image = new java.nio.Buffer[] {data.duplicate().position(0)};
      return f;
    }
  }

  private final FFmpegFrameGrabber grabber;
  private final FFmpegFrameFilter convert;
  private final ClipRenderer.SourceFacts facts;
  private final double startSec;
  private final double fps;
  private final int frames;

  private SegmentVideo(FFmpegFrameGrabber grabber, FFmpegFrameFilter convert, ClipRenderer.SourceFacts facts,
      double startSec, double fps, int frames) {
    this.grabber = grabber;
    this.convert = convert;
    this.facts = facts;
    this.startSec = startSec;
    this.fps = fps;
    this.frames = frames;
  }

  /** True when the source is not already 8-bit SDR BT.709/601 4:2:0 and goes through the conversion filter. */
  static boolean needsConversion(ClipRenderer.SourceFacts facts) {
    return facts.pixelFormat() != AV_PIX_FMT_YUV420P && facts.pixelFormat() != AV_PIX_FMT_YUVJ420P
        && facts.bitsPerComponent() > 8
        || facts.transfer() == AVCOL_TRC_SMPTE2084
        || facts.transfer() == AVCOL_TRC_ARIB_STD_B67
        || facts.primaries() == AVCOL_PRI_BT2020;
  }

  /**
   * The filter graph to 8-bit BT.709 SDR, or null when none is needed. HDR is linearised with SDR white (BT.2408:
   * 203 cd/m2) at 1.0, converted to BT.709 primaries in linear light, and highlights above white rolled off with the
   * Mobius curve (linear, hence exact, below {@value #TONEMAP_KNEE} of white).
   */
  static String conversionFilter(ClipRenderer.SourceFacts facts) {
    if (!needsConversion(facts)) {
      return null;
    }
    String tin = switch (facts.transfer()) {
      case AVCOL_TRC_SMPTE2084 -> "smpte2084";
      case AVCOL_TRC_ARIB_STD_B67 -> "arib-std-b67";
      default -> facts.primaries() == AVCOL_PRI_BT2020 ? "bt2020-10" : "bt709";
    };
    String min = facts.primaries() == AVCOL_PRI_BT2020 || facts.transfer() == AVCOL_TRC_SMPTE2084
        || facts.transfer() == AVCOL_TRC_ARIB_STD_B67 ? "2020_ncl" : "709";
    String pin = min.equals("2020_ncl") ? "2020" : "709";
    String range = facts.fullRange() ? "full" : "limited";
    boolean hdr = facts.transfer() == AVCOL_TRC_SMPTE2084 || facts.transfer() == AVCOL_TRC_ARIB_STD_B67;
    if (hdr) {
      return String.format(Locale.ROOT,
          "zscale=tin=%s:min=%s:pin=%s:rin=%s:t=linear:npl=%d:p=%s,format=gbrpf32le,zscale=p=709,"
              + "tonemap=tonemap=mobius:param=%.2f:desat=0:peak=%.2f,zscale=t=709:m=709:r=limited:dither=ordered,"
              + "format=yuv420p",
          tin, min, pin, range, SDR_WHITE_NITS, pin, TONEMAP_KNEE, HDR_PEAK_NITS / SDR_WHITE_NITS);
    }
    return String.format(Locale.ROOT,
        "zscale=tin=%s:min=%s:pin=%s:rin=%s:t=709:m=709:p=709:r=limited:dither=ordered,format=yuv420p",
        tin, min, pin, range);
  }

  /** SDR reference white in an HDR signal (ITU-R BT.2408). */
  static final int SDR_WHITE_NITS = 203;
  /** Assumed brightest highlight of an HDR source: a common mastering peak. */
  static final double HDR_PEAK_NITS = 1000;
  static final double TONEMAP_KNEE = 0.7;

  static SegmentVideo open(Path source, ClipRenderer.SourceFacts facts, double startSec, double fps, int frames)
      throws IOException {
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(source.toFile());
    FFmpegFrameFilter f = null;
    try {
      String chain = conversionFilter(facts);
      // yuv420p out of the grabber for 8-bit sources is a plain copy (no RGB round trip); others keep their own
      // format for the conversion filter
      g.setPixelFormat(chain == null ? AV_PIX_FMT_YUV420P : facts.pixelFormat());
      g.start();
      if (chain != null) {
        f = new FFmpegFrameFilter(chain, facts.width(), facts.height());
        f.setPixelFormat(facts.pixelFormat());
        f.start();
      }
      if (startSec > 0) {
        g.setVideoTimestamp(Math.round(startSec * 1e6));
      }
      return new SegmentVideo(g, f, facts, startSec, fps, frames);
    } catch (FrameGrabber.Exception | FFmpegFrameFilter.Exception e) {
      closeQuietly(g, f);
      throw new ClipException("cannot decode the source's video: " + e.getMessage(), ErrorTypes.UNSUPPORTED_MEDIA);
    }
  }

  /** Pictures decoded ahead of the consumer (each a packed copy of 1.5 bytes per pixel). */
  static final int DECODE_AHEAD = 4;

  private record Decoded(int k, Yuv picture) {}

  private static final Decoded END = new Decoded(-1, null);

  /**
   * Calls {@code sink} for every grid frame 0..frames-1 that the source has, in order (the last picture repeated over
   * gaps); returns how many were delivered. The source is decoded on a thread of its own, up to {@value
   * #DECODE_AHEAD} pictures ahead, so that decoding goes on while the sink encodes (as the ffmpeg CLI's decoder and
   * encoder threads do); {@code sink} and {@code progress} run on the calling thread. A picture handed to the sink is
   * valid until the sink returns (a repeated one until the next is delivered).
   */
  int forEach(Sink sink, Runnable progress) throws IOException {
    BlockingQueue<Object> ready = new ArrayBlockingQueue<>(DECODE_AHEAD);
    BlockingQueue<Yuv> free = new LinkedBlockingQueue<>();
    Thread decoder = new Thread(() -> decode(ready, free), "clip-decode");
    decoder.setDaemon(true);
    decoder.start();
    int lastK = -1;
    Yuv last = null;
    try {
      while (true) {
        Object o = ready.take();
        if (o == END) {
          break;
        }
        if (o instanceof IOException e) {
          throw e;
        }
        if (o instanceof RuntimeException e) {
          throw e;
        }
        Decoded d = (Decoded) o;
        // a variable frame rate source may skip grid slots: show the last picture there
        for (int gap = lastK + 1; last != null && gap < d.k; gap++) {
          sink.frame(gap, last);
        }
        sink.frame(d.k, d.picture);
        if (last != null) {
          free.add(last);
        }
        last = d.picture;
        lastK = d.k;
        if (d.k % 15 == 0) {
          if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("clip render interrupted");
          }
          progress.run();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("clip render interrupted");
    } finally {
      decoder.interrupt();
      try {
        decoder.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return lastK + 1;
  }

  /** The decoding thread: grid pictures copied into buffers of {@code free} (or new ones), then {@link #END}. */
  private void decode(BlockingQueue<Object> ready, BlockingQueue<Yuv> free) {
    int lastK = -1;
    try {
      try {
        Frame f;
        while (lastK < frames - 1 && (f = grabber.grabImage()) != null) {
          if (Thread.currentThread().isInterrupted()) {
            return;
          }
          double t = f.timestamp / 1e6 - facts.startOffsetSec() - startSec;
          int k = (int) Math.round(t * fps);
          if (k < 0 || k <= lastK) {
            continue;
          }
          if (k >= frames) {
            break;
          }
          Frame picture = f;
          if (convert != null) {
            convert.push(f, facts.pixelFormat());
            picture = convert.pullImage();
            if (picture == null) {
              continue;
            }
          }
          Yuv from = describe(picture);
          Yuv to = free.poll();
          if (to == null || to.width() != from.width() || to.height() != from.height()) {
            to = Yuv.packed(from.width(), from.height());
          }
          ClipRenderer.copy(from, to, 0, 0);
          ready.put(new Decoded(k, to));
          lastK = k;
        }
        ready.put(END);
      } catch (FrameGrabber.Exception | FFmpegFrameFilter.Exception e) {
        ready.put(new ClipException("cannot decode the source's video: " + e.getMessage(),
            ErrorTypes.UNSUPPORTED_MEDIA));
      } catch (RuntimeException e) {
        ready.put(e);
      }
    } catch (InterruptedException e) {
      // the consumer stopped: nobody waits for more pictures
    }
  }

  /** The planes of a yuv420p frame as JavaCV hands it over: one buffer, luma then U then V, rows a stride apart. */
  private static Yuv describe(Frame f) {
    // JavaCV limits the buffer to the luma plane; the chroma planes follow it inside the same allocation
    ByteBuffer b = ((ByteBuffer) f.image[0]).duplicate();
    b.clear();
    int ls = f.imageStride;
    int h = f.imageHeight;
    int cs = (ls + 1) / 2;
    int ch = (h + 1) / 2;
    return new Yuv(b, f.imageWidth, h, ls, cs, ls * h, ls * h + cs * ch);
  }

  @Override
  public void close() {
    closeQuietly(grabber, convert);
  }

  private static void closeQuietly(FFmpegFrameGrabber g, FFmpegFrameFilter f) {
    try {
      if (f != null) {
        f.close();
      }
    } catch (Exception ignored) {
      // closing after a failure: the first error is the one reported
    }
    try {
      g.close();
    } catch (Exception ignored) {
      // as above
    }
  }
}

package io.videopipe.clip;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_BT2020;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_ARIB_STD_B67;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_SMPTE2084;
import static org.bytedeco.ffmpeg.global.avutil.AV_FRAME_DATA_CONTENT_LIGHT_LEVEL;
import static org.bytedeco.ffmpeg.global.avutil.AV_FRAME_DATA_MASTERING_DISPLAY_METADATA;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_side_data;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_CONTENT_LIGHT_LEVEL;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_MASTERING_DISPLAY_METADATA;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;

import io.videopipe.pipeline.ErrorTypes;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avutil.AVContentLightMetadata;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVFrameSideData;
import org.bytedeco.ffmpeg.avutil.AVMasteringDisplayMetadata;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * The pictures of one segment of a source on the clip's constant frame-rate grid, as 8-bit BT.709 yuv420p: frame
 * {@code k} (at {@code start + k / fps}) shows the source picture on screen at that time, the last one that starts
 * at or before it. Sources above 30 fps are thereby decimated by whole factors (60 -> 30, 50 -> 25: every other
 * picture, each at its own time); a variable frame rate source is put on the grid by dropping the pictures that are
 * replaced before the next slot and repeating the last one over gaps and to the segment's end.
 * PQ and HLG sources are tone-mapped to SDR and 10-bit or BT.2020 sources converted to 8-bit BT.709 by zimg (zscale)
 * and FFmpeg's tonemap filter; 8-bit BT.709/601 sources pass through untouched.
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
   * Mobius curve (linear, hence exact, below {@value #TONEMAP_KNEE} of white) so that the source's peak ({@link
   * #toneMappingPeakNits}) lands on SDR white.
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
          tin, min, pin, range, SDR_WHITE_NITS, pin, TONEMAP_KNEE, toneMappingPeakNits(facts) / SDR_WHITE_NITS);
    }
    return String.format(Locale.ROOT,
        "zscale=tin=%s:min=%s:pin=%s:rin=%s:t=709:m=709:p=709:r=limited:dither=ordered,format=yuv420p",
        tin, min, pin, range);
  }

  /** SDR reference white in an HDR signal (ITU-R BT.2408). */
  static final int SDR_WHITE_NITS = 203;
  /**
   * Brightest highlight of an HDR source that says nothing of its own (no MaxCLL or mastering display): a common
   * mastering peak. Also HLG's: its signal is relative to a 1000 cd/m2 display (BT.2100), whatever the metadata says.
   */
  static final double HDR_PEAK_NITS = 1000;
  /** PQ's ceiling (SMPTE ST 2084). */
  static final double PQ_MAX_NITS = 10_000;

  /**
   * The luminance mapped to SDR white: a PQ source's own peak where it states one ({@link
   * ClipRenderer.SourceFacts#masteredPeakNits}, at least SDR white: a dimmer master needs no roll-off), else
   * {@value #HDR_PEAK_NITS}. A 400 cd/m2 master is thus not darkened as if it reached 1000.
   */
  static double toneMappingPeakNits(ClipRenderer.SourceFacts facts) {
    if (facts.transfer() != AVCOL_TRC_SMPTE2084 || !(facts.masteredPeakNits() > 0)) {
      return HDR_PEAK_NITS;
    }
    return Math.min(PQ_MAX_NITS, Math.max(SDR_WHITE_NITS, facts.masteredPeakNits()));
  }

  /**
   * The peak luminance a PQ source declares, in cd/m2, or 0 when it declares none: MaxCLL (the brightest pixel of
   * the content) where set, else the mastering display's maximum. Containers (MP4 'clli'/'mdcv', Matroska colour
   * metadata) carry it on the stream; HEVC and AV1 carry it in the bitstream (SEI / metadata OBUs), where it shows on
   * the decoded pictures: then the first picture is decoded to read it.
   */
  static double masteredPeakNits(Path source, AVCodecParameters stream) {
    double stated = peakNits(
        sideData(stream, AV_PKT_DATA_CONTENT_LIGHT_LEVEL), sideData(stream, AV_PKT_DATA_MASTERING_DISPLAY_METADATA));
    if (stated > 0) {
      return stated;
    }
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(source.toFile())) {
      // the decoder's own format: the grabbed frame is then the decoded picture, side data and all
      g.setPixelFormat(stream.format());
      g.start();
      Frame f = g.grabImage();
      if (f == null || !(f.opaque instanceof AVFrame picture)) {
        return 0;
      }
      AVFrameSideData cll = av_frame_get_side_data(picture, AV_FRAME_DATA_CONTENT_LIGHT_LEVEL);
      AVFrameSideData mdm = av_frame_get_side_data(picture, AV_FRAME_DATA_MASTERING_DISPLAY_METADATA);
      return peakNits(cll == null ? null : cll.data(), mdm == null ? null : mdm.data());
    } catch (FrameGrabber.Exception e) {
      // the render's own decode reports an unreadable source; here it only means no stated peak
      return 0;
    }
  }

  private static Pointer sideData(AVCodecParameters stream, int type) {
    AVPacketSideData sd = av_packet_side_data_get(stream.coded_side_data(), stream.nb_coded_side_data(), type);
    return sd == null || sd.isNull() ? null : sd.data();
  }

  private static double peakNits(Pointer contentLight, Pointer masteringDisplay) {
    if (contentLight != null && !contentLight.isNull()) {
      int maxCll = new AVContentLightMetadata(contentLight).MaxCLL();
      if (maxCll > 0) {
        return maxCll;
      }
    }
    if (masteringDisplay != null && !masteringDisplay.isNull()) {
      AVMasteringDisplayMetadata m = new AVMasteringDisplayMetadata(masteringDisplay);
      if (m.has_luminance() != 0 && m.max_luminance().den() > 0) {
        return av_q2d(m.max_luminance());
      }
    }
    return 0;
  }
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

  /** Share of an output frame by which a picture's timestamp may follow its slot's time and still fill it. */
  static final double SLOT_TOLERANCE = 0.05;

  /** Pictures decoded ahead of the consumer (each a packed copy of 1.5 bytes per pixel). */
  static final int DECODE_AHEAD = 4;

  private record Decoded(int k, Yuv picture) {}

  private static final Decoded END = new Decoded(-1, null);

  /**
   * Calls {@code sink} for every grid frame 0..frames-1 in order (the first picture from frame 0, the last one
   * repeated over gaps and after the source's last picture); returns how many were delivered: 0 when the source has
   * no picture in the segment, else {@code frames}. The source is decoded on a thread of its own, up to {@value
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
        // a variable frame rate source may skip grid slots: show the last picture there (the first from the start)
        if (last == null && d.k > 0) {
          d = new Decoded(0, d.picture);
        }
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
      // the last picture stays on screen to the segment's end (a long last frame; a video track ending early)
      for (int k = lastK + 1; last != null && k < frames; k++) {
        sink.frame(k, last);
        lastK = k;
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

  /**
   * The decoding thread: grid pictures copied into buffers of {@code free} (or new ones), then {@link #END}. Slot
   * {@code k} gets the last picture that starts at or before its time: each picture is held until the next one shows
   * whether it starts in a later slot (then the held one is delivered) or in the same slot (then it is dropped).
   */
  private void decode(BlockingQueue<Object> ready, BlockingQueue<Yuv> free) {
    // a constant rate source's next picture comes one source frame later: a picture it will replace in the same slot
    // (every other one of a 60 fps source) is not even converted
    double sourceFrameSec = !facts.variableFrameRate() && facts.fps() > 0 ? 1 / facts.fps() : 0;
    Decoded held = null;
    try {
      try {
        Frame f;
        while ((f = grabber.grabImage()) != null) {
          if (Thread.currentThread().isInterrupted()) {
            return;
          }
          double t = f.timestamp / 1e6 - facts.startOffsetSec() - startSec;
          int k = slot(t);
          if (held != null) {
            if (k > held.k) {
              ready.put(held);
            } else {
              free.add(held.picture);
            }
            held = null;
          }
          if (k >= frames) {
            break;
          }
          if (sourceFrameSec > 0 && slot(t + sourceFrameSec) == k) {
            continue;
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
          held = new Decoded(k, to);
        }
        if (held != null) {
          ready.put(held);
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

  /**
   * The first grid slot at or after a picture's start {@code t} (s from the segment's start), 0 for pictures before
   * it. A picture a hair after a slot's time (timestamps rounded to the container's time base) still fills that slot.
   */
  private int slot(double t) {
    return Math.max(0, (int) Math.ceil(t * fps - SLOT_TOLERANCE));
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

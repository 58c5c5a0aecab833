package io.videopipe.clip;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;

import io.videopipe.loudness.Loudness;
import io.videopipe.loudness.LoudnessMeter;
import io.videopipe.pipeline.ErrorTypes;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FFmpegLogCallback;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Renders one highlight of a source file as an MP4 clip, in-process with FFmpeg through JavaCV's grabber, filter and
 * recorder: H.264 High level 4.0 yuv420p tagged BT.709 (at most 1920x1080 or 1080x1920, at most 30 fps), AAC 48 kHz
 * stereo, index first (faststart).
 *
 * <p>The cut is frame-accurate: the grabber seeks to the keyframe before the start and decodes forward; video frames
 * before the start are dropped, and audio is trimmed to the sample. Loudness is normalised in two measured passes: the
 * clip's audio segment is measured (EBU R128, {@link LoudnessMeter}), then normalised to the target; attempt 1 uses
 * FFmpeg's {@code loudnorm} in linear mode fed the measured values, attempt 2 (the re-render after a failed QA check)
 * applies the measured gain with a 4x-oversampled peak limiter, measures its own result and corrects the residual
 * error once more, so it converges even where loudnorm falls back to its dynamic mode.
 */
public final class ClipRenderer {
  public static final int SAMPLE_RATE = 48_000;
  public static final int CHANNELS = 2;
  /** H.264 level 4.0 caps the frame rate at 30 fps for 1080p. */
  public static final double MAX_FPS = 30;
  static final int MAX_LONG_SIDE = 1920;
  static final int MAX_SHORT_SIDE = 1080;
  /** A highlight may end this far past the source's declared duration (container rounding). */
  static final double END_TOLERANCE_SEC = 0.1;
  /** Level 4.0 High profile: 25 Mbit/s max bitrate, 25 Mbit CPB; keep headroom. */
  static final String MAX_RATE = "20000k";
  static final String BUFSIZE = "25000k";

  /**
   * @param x264Preset speed/size trade-off of libx264, e.g. "veryfast"
   * @param crf constant rate factor (quality), e.g. 21
   * @param tempDir where intermediate audio is written
   */
  public record Settings(String x264Preset, int crf, Path tempDir) {
    public static Settings defaults() {
      return new Settings("veryfast", 21, Path.of(System.getProperty("java.io.tmpdir")));
    }
  }

  /** What was rendered. */
  public record Result(double durationSec, boolean hasVideo, int width, int height, double fps, Loudness loudness) {}

  static {
    FFmpegLogCallback.setLevel(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
  }

  private final Settings settings;
  private final LoudnessMeter meter = new LoudnessMeter();

  public ClipRenderer(Settings settings) {
    this.settings = settings;
  }

  public ClipRenderer() {
    this(Settings.defaults());
  }

  /**
   * Renders {@code [startSec, endSec)} of {@code source} to {@code out} (overwritten). {@code progress} runs every few
   * frames (a heartbeat; an exception from it stops the render). On failure {@code out} may hold partial data: the
   * caller deletes it.
   *
   * @throws ClipException for input that cannot make a clip (range outside the source, unreadable media, no audio)
   */
  public Result render(Path source, double startSec, double endSec, ClipOptions options, int attempt, Path out,
      Runnable progress) throws IOException {
    // Intermediates go next to the output: the caller owns that directory and clears it after a killed attempt.
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path segment = Files.createTempFile(dir, "clip-segment-", ".wav");
    Path normalised = Files.createTempFile(dir, "clip-norm-", ".wav");
    try {
      SourceFacts facts = probe(source);
      if (!(startSec >= 0 && endSec > startSec)) {
        throw new ClipException(
            String.format(Locale.ROOT, "highlight %.3f-%.3f s is not a forward range", startSec, endSec),
            ErrorTypes.HIGHLIGHT_OUT_OF_RANGE);
      }
      if (endSec > facts.durationSec + END_TOLERANCE_SEC) {
        throw new ClipException(
            String.format(Locale.ROOT, "highlight %.3f-%.3f s ends after the source (%.3f s)", startSec, endSec,
                facts.durationSec),
            ErrorTypes.HIGHLIGHT_OUT_OF_RANGE);
      }
      if (!facts.hasAudio) {
        throw new ClipException("source has no audio stream to cut a clip from", ErrorTypes.NO_AUDIO_STREAM);
      }
      double duration = endSec - startSec;
      float[] audio = readAudio(source, facts, startSec, duration, progress);
      writeWav(segment, audio);
      Loudness measured = meter.measure(segment, progress);
      float[] levelled =
          attempt >= 2
              ? gainAndLimit(audio, measured, options, normalised, progress)
              : loudnorm(audio, measured, options);
      progress.run();
      encode(source, facts, startSec, duration, levelled, options, out, progress);
      Loudness result = meter.measure(out, progress);
      return new Result(
          duration, facts.hasVideo, facts.outWidth(options), facts.outHeight(options), facts.outFps(), result);
    } finally {
      Files.deleteIfExists(segment);
      Files.deleteIfExists(normalised);
    }
  }

  /** What the renderer needs to know about the source before cutting. */
  record SourceFacts(double durationSec, double startOffsetSec, boolean hasAudio, boolean hasVideo, int width,
      int height, double fps) {
    double outFps() {
      double f = fps > 0 && Double.isFinite(fps) ? fps : 25;
      return f > MAX_FPS ? (f / 2 >= 24 && f / 2 <= MAX_FPS ? f / 2 : MAX_FPS) : f;
    }

    int cropWidth(ClipOptions options) {
      return options.vertical() ? Math.min(width, even(height * 9.0 / 16)) : width;
    }

    int outWidth(ClipOptions options) {
      return hasVideo ? fit(options)[0] : 0;
    }

    int outHeight(ClipOptions options) {
      return hasVideo ? fit(options)[1] : 0;
    }

    private int[] fit(ClipOptions options) {
      int w = cropWidth(options);
      int h = height;
      double maxW = w >= h ? MAX_LONG_SIDE : MAX_SHORT_SIDE;
      double maxH = w >= h ? MAX_SHORT_SIDE : MAX_LONG_SIDE;
      double scale = Math.min(1, Math.min(maxW / w, maxH / h));
      return new int[] {even(w * scale), even(h * scale)};
    }
  }

  static int even(double v) {
    return Math.max(2, (int) Math.floor(v / 2) * 2);
  }

  private static SourceFacts probe(Path source) throws ClipException {
    if (!Files.isRegularFile(source)) {
      throw new ClipException("no such source file: " + source, ErrorTypes.SOURCE_NOT_FOUND);
    }
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(source.toFile())) {
      g.start();
      AVFormatContext fmt = g.getFormatContext();
      boolean video = false;
      for (int i = 0; i < fmt.nb_streams(); i++) {
        AVStream s = fmt.streams(i);
        if (s.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO && (s.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) {
          video = true;
        }
      }
      video = video && g.getImageWidth() > 0 && g.getImageHeight() > 0;
      double offset = fmt.start_time() == AV_NOPTS_VALUE ? 0 : fmt.start_time() / 1e6;
      double duration = g.getLengthInTime() / 1e6;
      return new SourceFacts(duration, offset, g.getAudioChannels() > 0, video, g.getImageWidth(),
          g.getImageHeight(), g.getFrameRate());
    } catch (FrameGrabber.Exception e) {
      throw new ClipException("cannot read the source: " + e.getMessage(), ErrorTypes.UNSUPPORTED_MEDIA);
    }
  }

  /** The segment's audio as interleaved 48 kHz stereo floats, trimmed to the sample; silence-padded if it ends early. */
  private static float[] readAudio(Path source, SourceFacts facts, double startSec, double duration, Runnable progress)
      throws IOException {
    int total = (int) Math.round(duration * SAMPLE_RATE);
    float[] out = new float[total * CHANNELS];
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(source.toFile())) {
      g.setSampleMode(FrameGrabber.SampleMode.FLOAT);
      g.setSampleRate(SAMPLE_RATE);
      g.setAudioChannels(CHANNELS);
      g.start();
      if (startSec > 0) {
        g.setAudioTimestamp(Math.round(startSec * 1e6));
      }
      int frames = 0;
      Frame f;
      while ((f = g.grabSamples()) != null) {
        if (++frames % 64 == 0) {
          checkInterrupt();
          progress.run();
        }
        if (f.samples == null) {
          continue;
        }
        double t = f.timestamp / 1e6 - facts.startOffsetSec - startSec;
        long first = Math.round(t * SAMPLE_RATE);
        if (first >= total) {
          break;
        }
        int n = copySamples(f, out, first, total);
        if (n < 0) {
          break;
        }
      }
    } catch (FrameGrabber.Exception e) {
      throw new ClipException("cannot decode the source's audio: " + e.getMessage(), ErrorTypes.UNSUPPORTED_MEDIA);
    }
    return out;
  }

  /** Copies a grabbed frame into {@code out} at sample {@code first} (may be negative: the part before is dropped). */
  private static int copySamples(Frame f, float[] out, long first, int total) {
    FloatBuffer[] planes = new FloatBuffer[f.samples.length];
    for (int i = 0; i < planes.length; i++) {
      planes[i] = (FloatBuffer) f.samples[i];
    }
    boolean planar = planes.length > 1;
    int n = planar ? planes[0].limit() : planes[0].limit() / CHANNELS;
    for (int s = 0; s < n; s++) {
      long at = first + s;
      if (at < 0) {
        continue;
      }
      if (at >= total) {
        return -1;
      }
      for (int c = 0; c < CHANNELS; c++) {
        out[(int) at * CHANNELS + c] = planar ? planes[Math.min(c, planes.length - 1)].get(s) : planes[0].get(s * CHANNELS + c);
      }
    }
    return n;
  }

  /** Attempt 1: loudnorm in linear mode with the first pass's measurements, resampled back to 48 kHz. */
  private static float[] loudnorm(float[] audio, Loudness m, ClipOptions options) throws IOException {
    double lra = Math.max(7, Math.min(20, m.loudnessRangeLu() + 1));
    String filter = String.format(
        Locale.ROOT,
        "loudnorm=I=%.1f:TP=%.1f:LRA=%.1f:measured_I=%.2f:measured_TP=%.2f:measured_LRA=%.2f:measured_thresh=%.2f"
            + ":offset=0:linear=true:print_format=none,aresample=%d,aformat=sample_fmts=flt:channel_layouts=stereo",
        options.targetLufs(), options.maxTruePeakDbtp(), lra, m.integratedLufs(), m.truePeakDbtp(),
        m.loudnessRangeLu(), m.integratedLufs() - 10, SAMPLE_RATE);
    return filter(audio, filter);
  }

  /**
   * Attempt 2: the measured gain, a 4x-oversampled limiter holding the true peak under the bound, then a measurement of
   * the result and one more pass with the residual error folded into the gain.
   */
  private float[] gainAndLimit(float[] audio, Loudness m, ClipOptions options, Path scratch, Runnable progress)
      throws IOException {
    double gain = options.targetLufs() - m.integratedLufs();
    float[] out = null;
    for (int pass = 0; pass < 2; pass++) {
      // 0.3 dB below the bound: the limiter works on 4x samples, the meter's true peak on its own interpolation
      double limit = Math.pow(10, (options.maxTruePeakDbtp() - 0.3) / 20);
      String filter = String.format(
          Locale.ROOT,
          "volume=%.3fdB,aresample=%d,alimiter=limit=%.5f:level=false:attack=5:release=50,aresample=%d,"
              + "aformat=sample_fmts=flt:channel_layouts=stereo",
          gain, SAMPLE_RATE * 4, limit, SAMPLE_RATE);
      out = filter(audio, filter);
      writeWav(scratch, out);
      Loudness got = meter.measure(scratch, progress);
      double residual = options.targetLufs() - got.integratedLufs();
      if (Math.abs(residual) < 0.2) {
        break;
      }
      gain += residual;
    }
    return out;
  }

  /** Runs interleaved stereo 48 kHz floats through an audio filter chain; the result has the same length. */
  private static float[] filter(float[] audio, String chain) throws IOException {
    float[] out = new float[audio.length];
    int written = 0;
    try (FFmpegFrameFilter f = new FFmpegFrameFilter(chain, CHANNELS)) {
      f.setSampleFormat(AV_SAMPLE_FMT_FLT);
      f.setSampleRate(SAMPLE_RATE);
      f.start();
      int chunk = 4096 * CHANNELS;
      for (int off = 0; off < audio.length; off += chunk) {
        int len = Math.min(chunk, audio.length - off);
        f.pushSamples(0, CHANNELS, SAMPLE_RATE, AV_SAMPLE_FMT_FLT,
            FloatBuffer.wrap(java.util.Arrays.copyOfRange(audio, off, off + len)));
        written = drain(f, out, written);
      }
      f.push(null);
      written = drain(f, out, written);
    } catch (FFmpegFrameFilter.Exception e) {
      throw new IOException("audio filter failed: " + e.getMessage(), e);
    }
    return out;
  }

  private static int drain(FFmpegFrameFilter f, float[] out, int written) throws FFmpegFrameFilter.Exception {
    Frame frame;
    while ((frame = f.pullSamples()) != null && frame.samples != null) {
      FloatBuffer b = (FloatBuffer) frame.samples[0];
      int n = Math.min(b.remaining(), out.length - written);
      b.get(out, written, n);
      written += n;
    }
    return written;
  }

  /** Mux: the source's video frames in the range (cropped/scaled by the recorder) interleaved with the levelled audio. */
  private void encode(Path source, SourceFacts facts, double startSec, double duration, float[] audio,
      ClipOptions options, Path out, Runnable progress) throws IOException {
    int width = facts.outWidth(options);
    int height = facts.outHeight(options);
    double fps = facts.outFps();
    int frames = (int) Math.round(duration * fps);
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), width, height, CHANNELS)) {
      rec.setFormat("mp4");
      rec.setOption("movflags", "+faststart+write_colr");
      rec.setAudioCodec(AV_CODEC_ID_AAC);
      rec.setSampleRate(SAMPLE_RATE);
      rec.setAudioChannels(CHANNELS);
      rec.setAudioBitrate(160_000);
      if (facts.hasVideo) {
        rec.setVideoCodec(AV_CODEC_ID_H264);
        rec.setPixelFormat(AV_PIX_FMT_YUV420P);
        rec.setFrameRate(fps);
        rec.setGopSize((int) Math.round(fps * 2));
        rec.setVideoBitrate(0);
        rec.setVideoOption("preset", settings.x264Preset());
        rec.setVideoOption("crf", Integer.toString(settings.crf()));
        rec.setVideoOption("profile", "high");
        rec.setVideoOption("level", "40");
        rec.setVideoOption("maxrate", MAX_RATE);
        rec.setVideoOption("bufsize", BUFSIZE);
        rec.setVideoOption("color_primaries", "bt709");
        rec.setVideoOption("color_trc", "bt709");
        rec.setVideoOption("colorspace", "bt709");
        rec.setVideoOption("color_range", "tv");
      }
      rec.start();
      long audioWritten = 0;
      long audioTotal = audio.length / CHANNELS;
      if (facts.hasVideo) {
        FFmpegFrameFilter crop = null;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(source.toFile())) {
          // yuv420p straight through when the frame is kept whole: no RGB round trip (two conversions per frame).
          // Only at widths whose chroma rows need no padding: the recorder assumes tightly packed planes.
          int pixelFormat =
              !options.vertical() && facts.width % 64 == 0 ? AV_PIX_FMT_YUV420P : AV_PIX_FMT_BGR24;
          g.setPixelFormat(pixelFormat);
          g.start();
          if (options.vertical()) {
            int cw = facts.cropWidth(options);
            crop = new FFmpegFrameFilter(
                String.format(Locale.ROOT, "crop=%d:%d:%d:0", cw, facts.height, even((facts.width - cw) / 2.0)),
                facts.width, facts.height);
            crop.setPixelFormat(AV_PIX_FMT_BGR24);
            crop.start();
          }
          if (startSec > 0) {
            g.setVideoTimestamp(Math.round(startSec * 1e6));
          }
          int lastK = -1;
          Frame f;
          while (lastK < frames - 1 && (f = g.grabImage()) != null) {
            double t = f.timestamp / 1e6 - facts.startOffsetSec - startSec;
            int k = (int) Math.round(t * fps);
            if (k < 0 || k <= lastK) {
              continue;
            }
            if (k >= frames) {
              break;
            }
            Frame picture = f;
            if (crop != null) {
              crop.push(f);
              picture = crop.pullImage();
              if (picture == null) {
                continue;
              }
            }
            rec.setFrameNumber(k);
            rec.record(picture, pixelFormat);
            lastK = k;
            long audioUpTo = Math.min(audioTotal, Math.round((k + 1) / fps * SAMPLE_RATE));
            audioWritten = writeAudio(rec, audio, audioWritten, audioUpTo);
            if (k % 15 == 0) {
              checkInterrupt();
              progress.run();
            }
          }
          if (lastK < 0) {
            throw new ClipException("the source has no video frames in the highlight", ErrorTypes.UNSUPPORTED_MEDIA);
          }
        } finally {
          if (crop != null) {
            crop.close();
          }
        }
      }
      writeAudio(rec, audio, audioWritten, audioTotal);
      rec.stop();
    } catch (FrameGrabber.Exception e) {
      throw new ClipException("cannot decode the source's video: " + e.getMessage(), ErrorTypes.UNSUPPORTED_MEDIA);
    } catch (org.bytedeco.javacv.FrameRecorder.Exception | FFmpegFrameFilter.Exception e) {
      throw new IOException("clip encoding failed: " + e.getMessage(), e);
    }
  }

  private static long writeAudio(FFmpegFrameRecorder rec, float[] audio, long from, long to)
      throws org.bytedeco.javacv.FrameRecorder.Exception {
    final int chunk = 4096;
    // a fresh array per chunk: JavaCV copies a heap buffer's whole backing array, ignoring a slice's offset
    for (long s = from; s < to; s += chunk) {
      int n = (int) Math.min(chunk, to - s);
      float[] part = java.util.Arrays.copyOfRange(audio, (int) s * CHANNELS, (int) (s + n) * CHANNELS);
      rec.recordSamples(SAMPLE_RATE, CHANNELS, FloatBuffer.wrap(part));
    }
    return Math.max(from, to);
  }

  private static void checkInterrupt() throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("clip render interrupted");
    }
  }

  /** 32-bit float stereo WAV (format 3), what the loudness meter reads for the measuring passes. */
  static void writeWav(Path path, float[] interleaved) throws IOException {
    int dataBytes = interleaved.length * 4;
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes());
    header.put("fmt ".getBytes()).putInt(16).putShort((short) 3).putShort((short) CHANNELS).putInt(SAMPLE_RATE)
        .putInt(SAMPLE_RATE * CHANNELS * 4).putShort((short) (CHANNELS * 4)).putShort((short) 32);
    header.put("data".getBytes()).putInt(dataBytes);
    try (OutputStream os = Files.newOutputStream(path)) {
      os.write(header.array());
      ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : interleaved) {
        if (!buf.hasRemaining()) {
          os.write(buf.array(), 0, buf.position());
          buf.clear();
        }
        buf.putFloat(v);
      }
      os.write(buf.array(), 0, buf.position());
    }
  }
}

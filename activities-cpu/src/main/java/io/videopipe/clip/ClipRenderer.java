package io.videopipe.clip;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_SMPTE2084;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

import io.videopipe.captions.CaptionBurner;
import io.videopipe.loudness.Loudness;
import io.videopipe.loudness.LoudnessMeter;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.reframe.CropPath;
import io.videopipe.reframe.FaceTracker;
import io.videopipe.transcribe.Word;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FFmpegLogCallback;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Renders one highlight of a source file as an MP4 clip, in-process with FFmpeg through JavaCV's grabber, filter and
 * recorder, in the format {@link ClipOutputSpec} states: H.264 High level 4.0 yuv420p BT.709 SDR (at most 1920x1080 or
 * 1080x1920, at most 30 fps), AAC 48 kHz stereo, index first (faststart).
 *
 * <p>The cut is frame-accurate: the grabber seeks to the keyframe before the start and decodes forward; video frames
 * before the start are dropped, and audio is trimmed to the sample. The picture is encoded once: the segment's audio is
 * decoded once and levelled ({@link AudioLeveller}: its own measured loudness gives the gain; a true-peak limiter and a
 * check on the AAC-encoded audio make the published file land on the target) on a thread of its own while the pictures
 * are encoded, and joins them in the muxer once ready. Several formats of one highlight come from one decode
 * ({@link #render(Path, double, double, List, List, int, Runnable)}). 9:16 and 1:1 clips follow a face ({@link FaceTracker}, a look at the segment before
 * encoding); burned-in captions are drawn into each picture ({@link CaptionBurner}). Pictures stay in yuv420p from
 * decoder to encoder (HDR and 10-bit sources are converted to 8-bit BT.709 SDR on the way, {@link SegmentVideo}).
 */
public final class ClipRenderer {
  public static final int SAMPLE_RATE = ClipOutputSpec.SAMPLE_RATE;
  public static final int CHANNELS = ClipOutputSpec.CHANNELS;
  public static final double MAX_FPS = ClipOutputSpec.MAX_FPS;
  static final int MAX_LONG_SIDE = ClipOutputSpec.MAX_LONG_SIDE;
  static final int MAX_SHORT_SIDE = ClipOutputSpec.MAX_SHORT_SIDE;
  /** A highlight may end this far past the source's declared duration (container rounding). */
  static final double END_TOLERANCE_SEC = 0.1;

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

  /**
   * What was rendered.
   *
   * @param framing {@link RenderedClip#FRAMING_SOURCE}, {@link RenderedClip#FRAMING_FACE} or {@link
   *     RenderedClip#FRAMING_CENTRE}; null without video
   * @param faceShare share of the analysed frames in which the renderer found a face (0 when not reframed)
   * @param faceRule with {@link RenderedClip#FRAMING_FACE}, which rule picked the face followed: {@code "speaker"}
   *     (in at least one scene, of two or more faces the one whose mouth moved while speech was heard) or {@code
   *     "largest"} (the largest central face); null otherwise
   * @param captionsShown when burned-in captions are on screen, {start, end} s from the clip's start; null if none
   * @param videoDecodes how often the segment's pictures were decoded for the render this clip was part of (one pass
   *     for face tracking when reframed, one for encoding: shared by all formats of a multi-format render)
   */
  public record Result(double durationSec, boolean hasVideo, int width, int height, double fps, Loudness loudness,
      String framing, double faceShare, String faceRule, List<double[]> captionsShown, int videoDecodes) {
    public boolean captionsBurned() {
      return captionsShown != null;
    }
  }

  static {
    FFmpegLogCallback.setLevel(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
  }

  private final Settings settings;
  private final LoudnessMeter meter = new LoudnessMeter();
  private final AudioLeveller leveller = new AudioLeveller(meter);

  public ClipRenderer(Settings settings) {
    this.settings = settings;
  }

  public ClipRenderer() {
    this(Settings.defaults());
  }

  /**
   * Renders {@code [startSec, endSec)} of {@code source} to {@code out} (overwritten). {@code words} are the
   * transcript's (source timeline), drawn into the picture when {@code options.burnCaptions()}. {@code progress} runs
   * every few frames (a heartbeat; an exception from it stops the render). On failure {@code out} may hold partial
   * data: the caller deletes it.
   *
   * @throws ClipException for input that cannot make a clip (range outside the source, unreadable media, no audio)
   */
  public Result render(Path source, double startSec, double endSec, ClipOptions options, List<Word> words, int attempt,
      Path out, Runnable progress) throws IOException {
    return render(source, startSec, endSec, List.of(new Format(options, out)), words, attempt, progress).get(0);
  }

  /** One output of a highlight: its options (aspect, captions) and its file. */
  public record Format(ClipOptions options, Path out) {}

  /**
   * Renders several outputs of one highlight (16:9, 9:16, 1:1, with or without captions) from one decode of the
   * segment: the audio is levelled once and every file carries the same samples (so the same loudness); the pictures
   * are decoded once and each frame goes to every format's encoder (the face tracking of the reframed formats shares
   * one look at the segment as well). The formats must share the loudness target and the true-peak bound. Results in
   * the order of {@code formats}.
   */
  public List<Result> render(Path source, double startSec, double endSec, List<Format> formats, List<Word> words,
      int attempt, Runnable progress) throws IOException {
    if (formats.isEmpty()) {
      throw new IllegalArgumentException("no output format to render");
    }
    ClipOptions first = formats.get(0).options();
    for (Format f : formats) {
      if (f.options().targetLufs() != first.targetLufs() || f.options().maxTruePeakDbtp() != first.maxTruePeakDbtp()) {
        throw new IllegalArgumentException("the formats of one highlight share its loudness target and true-peak bound");
      }
    }
    // Intermediates go next to the (first) output: the caller owns that directory and clears it after a killed attempt.
    Path dir = formats.get(0).out().toAbsolutePath().getParent();
    Files.createDirectories(dir);
    for (Format f : formats) {
      Files.createDirectories(f.out().toAbsolutePath().getParent());
    }
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
    List<Picture> pictures = null;
    int[] decodes = {0};
    if (!facts.hasVideo) {
      float[] levelled = levelAudio(source, facts, startSec, duration, first, attempt, dir, progress);
      encode(source, facts, startSec, duration, CompletableFuture.completedFuture(levelled), null, formats, decodes,
          progress);
    } else {
      // The audio is decoded and levelled on its own thread while this one looks at and encodes the pictures (what
      // the ffmpeg CLI does with its per-stream threads): the muxer holds the first video packets until the levelled
      // audio joins them. Heartbeats come from this thread, which never waits long.
      ExecutorService audioThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "clip-audio");
        t.setDaemon(true);
        return t;
      });
      try {
        Future<float[]> levelled = audioThread.submit(
            () -> levelAudio(source, facts, startSec, duration, first, attempt, dir, () -> {}));
        pictures = plan(source, facts, startSec, duration, formats, words, decodes, progress);
        encode(source, facts, startSec, duration, levelled, pictures, formats, decodes, progress);
      } finally {
        audioThread.shutdownNow();
        awaitQuietly(audioThread);
      }
    }
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < formats.size(); i++) {
      ClipOptions options = formats.get(i).options();
      Picture picture = pictures == null ? null : pictures.get(i);
      Loudness result = meter.measure(formats.get(i).out(), progress);
      results.add(new Result(
          duration, facts.hasVideo, facts.outWidth(options), facts.outHeight(options), facts.outFps(), result,
          picture == null ? null : picture.framing,
          picture == null || picture.path == null ? 0 : picture.path.faceShare(),
          picture == null || picture.path == null || picture.path.rule() == null ? null
              : picture.path.rule().label(),
          picture == null || picture.captions == null ? null : picture.captions.shown(), decodes[0]));
    }
    return results;
  }
  private float[] levelAudio(Path source, SourceFacts facts, double startSec, double duration, ClipOptions options,
      int attempt, Path dir, Runnable progress) throws IOException {
    float[] audio = readAudio(source, facts, startSec, duration, progress);
    return leveller.level(audio, options.targetLufs(), options.maxTruePeakDbtp(), attempt, dir, progress).samples();
  }

  /**
   * The levelled audio once it is ready; its failure is this render's. While it is not, {@code progress} runs twice a
   * second: on a loaded worker the levelling can outlast the pictures by longer than a heartbeat timeout.
   */
  private static float[] await(Future<float[]> levelled, Runnable progress) throws IOException {
    try {
      while (true) {
        try {
          return levelled.get(500, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillLevelling) {
          progress.run();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("clip render interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException("audio levelling failed: " + e.getCause(), e.getCause());
    }
  }

  /** After a failure the audio thread is interrupted; wait for it so its temporary files are gone when we return. */
  private static void awaitQuietly(ExecutorService thread) {
    try {
      thread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How the pictures are made: the crop window (the whole frame when not cropped) and the captions (null: none). */
  private record Picture(int cropWidth, int cropHeight, int cropTop, CropPath path, String framing,
      CaptionBurner captions) {}

  private List<Picture> plan(Path source, SourceFacts facts, double startSec, double duration, List<Format> formats,
      List<Word> words, int[] decodes, Runnable progress) throws IOException {
    List<Word> inClip = new ArrayList<>();
    for (Word w : ClipCaptions.wordsInside(words, startSec, startSec + duration)) {
      inClip.add(new Word(w.text(), w.start() - startSec, w.end() - startSec, w.confidence(), w.speaker()));
    }
    // the words tell the face tracking when someone speaks
    List<double[]> speech = inClip.stream().map(w -> new double[] {w.start(), w.end()}).toList();
    double fps = facts.outFps();
    int frames = (int) Math.round(duration * fps);
    // one face tracker per distinct crop width, all fed by one look at the segment
    java.util.Map<Integer, FaceTracker> trackers = new java.util.LinkedHashMap<>();
    java.util.Map<Integer, CropPath> paths = new java.util.HashMap<>();
    try {
      for (Format f : formats) {
        int cw = facts.cropWidth(f.options());
        if (cw < facts.width && !trackers.containsKey(cw)) {
          trackers.put(cw, new FaceTracker(frames, fps, facts.width, facts.height, cw));
        }
      }
      if (!trackers.isEmpty()) {
        try (SegmentVideo video = SegmentVideo.open(source, facts, startSec, fps, frames)) {
          decodes[0]++;
          video.forEach((k, yuv) -> {
            for (FaceTracker t : trackers.values()) {
              t.offer(k, yuv.luma(), yuv.lumaStride());
            }
          }, progress);
        }
        for (var e : trackers.entrySet()) {
          paths.put(e.getKey(), e.getValue().plan(speech));
        }
      }
    } finally {
      for (FaceTracker t : trackers.values()) {
        t.close();
      }
    }
    List<Picture> pictures = new ArrayList<>();
    for (Format f : formats) {
      ClipOptions options = f.options();
      int cw = facts.cropWidth(options);
      int ch = facts.cropHeight(options);
      CropPath path = paths.get(cw);
      String framing = RenderedClip.FRAMING_SOURCE;
      if (path != null) {
        framing = path.faceSeen() ? RenderedClip.FRAMING_FACE : RenderedClip.FRAMING_CENTRE;
      } else if (ch < facts.height) {
        framing = RenderedClip.FRAMING_CENTRE;
      }
      CaptionBurner captions = null;
      if (options.burnCaptions()) {
        captions = new CaptionBurner(inClip, cw, ch, options.highlightWord());
      }
      int top = ch == facts.height ? 0 : even((facts.height - ch) / 2.0);
      pictures.add(new Picture(cw, ch, top, path, framing, captions));
    }
    return pictures;
  }

  /**
   * What the renderer needs to know about the source before cutting.
   *
   * @param fps the video's average frame rate
   * @param variableFrameRate the pictures' timestamps are not on a grid of {@code fps}
   * @param masteredPeakNits the peak luminance a PQ source declares (MaxCLL or mastering display), 0 if none
   */
  record SourceFacts(double durationSec, double startOffsetSec, boolean hasAudio, boolean hasVideo, int width,
      int height, double fps, boolean variableFrameRate, int pixelFormat, int bitsPerComponent, int transfer,
      int primaries, boolean fullRange, double masteredPeakNits) {
    double outFps() {
      return ClipOutputSpec.outputFps(fps, variableFrameRate);
    }

    /** The crop window's width: the frame's, or narrower for a 9:16 or 1:1 output of a wider source. */
    int cropWidth(ClipOptions options) {
      double a = options.aspectRatio();
      return a > 0 && (double) width / height > a ? Math.min(width, even(height * a)) : width;
    }

    /** The crop window's height: the frame's, or lower for a 9:16 or 1:1 output of a narrower source. */
    int cropHeight(ClipOptions options) {
      double a = options.aspectRatio();
      return a > 0 && (double) width / height < a ? Math.min(height, even(width / a)) : height;
    }

    int outWidth(ClipOptions options) {
      return hasVideo ? fit(cropWidth(options), cropHeight(options))[0] : 0;
    }

    int outHeight(ClipOptions options) {
      return hasVideo ? fit(cropWidth(options), cropHeight(options))[1] : 0;
    }
  }

  /** The output size of a crop: scaled down to fit 1920x1080 (landscape) or 1080x1920 (portrait). */
  static int[] fit(int w, int h) {
    double maxW = w >= h ? MAX_LONG_SIDE : MAX_SHORT_SIDE;
    double maxH = w >= h ? MAX_SHORT_SIDE : MAX_LONG_SIDE;
    double scale = Math.min(1, Math.min(maxW / w, maxH / h));
    return new int[] {even(w * scale), even(h * scale)};
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
      AVCodecParameters par = null;
      AVStream videoStream = null;
      for (int i = 0; i < fmt.nb_streams(); i++) {
        AVStream s = fmt.streams(i);
        if (s.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO && (s.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0
            && par == null) {
          par = s.codecpar();
          videoStream = s;
        }
      }
      boolean video = par != null && g.getImageWidth() > 0 && g.getImageHeight() > 0;
      double offset = fmt.start_time() == AV_NOPTS_VALUE ? 0 : fmt.start_time() / 1e6;
      double duration = g.getLengthInTime() / 1e6;
      int pixFmt = video ? par.format() : -1;
      int bits = 8;
      if (video) {
        AVPixFmtDescriptor d = av_pix_fmt_desc_get(pixFmt);
        bits = d == null ? 8 : d.comp(0).depth();
      }
      int transfer = video ? par.color_trc() : 0;
      double peak = transfer == AVCOL_TRC_SMPTE2084 ? SegmentVideo.masteredPeakNits(source, par) : 0;
      return new SourceFacts(duration, offset, g.getAudioChannels() > 0, video, g.getImageWidth(),
          g.getImageHeight(), g.getFrameRate(), video && variableFrameRate(videoStream), pixFmt, bits, transfer,
          video ? par.color_primaries() : 0, video && par.color_range() == AVCOL_RANGE_JPEG, peak);
    } catch (FrameGrabber.Exception e) {
      throw new ClipException("cannot read the source: " + e.getMessage(), ErrorTypes.UNSUPPORTED_MEDIA);
    }
  }

  /**
   * True when the stream's pictures are not evenly spaced: FFmpeg's guess of the rate all timestamps lie on
   * (r_frame_rate) differs from their average rate, as with phone recordings and screen captures (a constant rate
   * source has both equal, up to a dropped frame).
   */
  private static boolean variableFrameRate(AVStream stream) {
    AVRational avg = stream.avg_frame_rate();
    AVRational base = stream.r_frame_rate();
    if (avg.num() <= 0 || avg.den() <= 0 || base.num() <= 0 || base.den() <= 0) {
      return false;
    }
    return Math.abs(av_q2d(base) / av_q2d(avg) - 1) > VFR_RATE_SPREAD;
  }

  /** Relative difference of r_frame_rate and the average rate above which a source is taken as variable rate. */
  static final double VFR_RATE_SPREAD = 0.02;

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

  /** Mux: the segment's pictures (cropped, captioned) interleaved with the levelled audio; one encode per format. */
  private void encode(Path source, SourceFacts facts, double startSec, double duration, Future<float[]> levelled,
      List<Picture> pictures, List<Format> formats, int[] decodes, Runnable progress) throws IOException {
    boolean video = pictures != null;
    double fps = facts.outFps();
    int frames = (int) Math.round(duration * fps);
    List<FFmpegFrameRecorder> recs = new ArrayList<>();
    try {
      for (int i = 0; i < formats.size(); i++) {
        int[] size = video ? fit(pictures.get(i).cropWidth, pictures.get(i).cropHeight) : new int[] {0, 0};
        FFmpegFrameRecorder rec = new FFmpegFrameRecorder(formats.get(i).out().toFile(), size[0], size[1], CHANNELS);
        recs.add(rec);
        configure(rec, video, fps);
        rec.start();
      }
      long audioTotal = Math.round(duration * SAMPLE_RATE);
      long[] audioWritten = new long[formats.size()];
      float[][] audio = {null};
      if (video) {
        List<SegmentVideo.Yuv> canvases = new ArrayList<>();
        for (Picture picture : pictures) {
          canvases.add(SegmentVideo.Yuv.packed(picture.cropWidth, picture.cropHeight));
        }
        int delivered;
        try (SegmentVideo segment = SegmentVideo.open(source, facts, startSec, fps, frames)) {
          decodes[0]++;
          delivered = segment.forEach((k, yuv) -> {
            if (audio[0] == null && levelled.isDone()) {
              audio[0] = await(levelled, progress);
            }
            for (int i = 0; i < pictures.size(); i++) {
              Picture picture = pictures.get(i);
              SegmentVideo.Yuv pic = picture(facts, picture, canvases.get(i), k, yuv, fps);
              FFmpegFrameRecorder rec = recs.get(i);
              try {
                rec.setFrameNumber(k);
                rec.record(pic.frame(), AV_PIX_FMT_YUV420P);
                if (audio[0] != null) {
                  long audioUpTo = Math.min(audioTotal, Math.round((k + 1) / fps * SAMPLE_RATE));
                  audioWritten[i] = AudioLeveller.writeAudio(rec, audio[0], audioWritten[i], audioUpTo);
                }
              } catch (org.bytedeco.javacv.FrameRecorder.Exception e) {
                throw new IOException("clip encoding failed: " + e.getMessage(), e);
              }
            }
          }, progress);
        }
        if (delivered == 0) {
          throw new ClipException("the source has no video frames in the highlight", ErrorTypes.UNSUPPORTED_MEDIA);
        }
      }
      if (audio[0] == null) {
        audio[0] = await(levelled, progress);
      }
      for (int i = 0; i < recs.size(); i++) {
        AudioLeveller.writeAudio(recs.get(i), audio[0], audioWritten[i], audio[0].length / CHANNELS);
        recs.get(i).stop();
      }
    } catch (org.bytedeco.javacv.FrameRecorder.Exception e) {
      throw new IOException("clip encoding failed: " + e.getMessage(), e);
    } finally {
      for (FFmpegFrameRecorder rec : recs) {
        try {
          rec.close();
        } catch (org.bytedeco.javacv.FrameRecorder.Exception e) {
          // closing after a failure (or after stop): the first error is the one reported
        }
      }
    }
  }

  /** The picture of frame {@code k} for one format: the decoder's own, or cropped and captioned in its canvas. */
  private static SegmentVideo.Yuv picture(SourceFacts facts, Picture picture, SegmentVideo.Yuv canvas, int k,
      SegmentVideo.Yuv yuv, double fps) {
    boolean crop = picture.cropWidth < facts.width || picture.cropHeight < facts.height;
    boolean packed = yuv.lumaStride() == yuv.width() && yuv.chromaStride() == (yuv.width() + 1) / 2;
    SegmentVideo.Yuv pic = yuv;
    // the decoder's buffer is reused (and repeated over VFR gaps, and shared by the formats): draw only into our copy
    if (crop || picture.captions != null || !packed) {
      int left = picture.cropWidth == facts.width ? 0
          : picture.path == null ? even((facts.width - picture.cropWidth) / 2.0) : picture.path.left(k);
      copy(yuv, canvas, left, picture.cropTop);
      pic = canvas;
    }
    if (picture.captions != null) {
      picture.captions.draw(k / fps, pic.data(), pic.lumaStride(), pic.chromaStride(), pic.uOffset(), pic.vOffset());
    }
    return pic;
  }

  /** The clip's format ({@link ClipOutputSpec}) on a recorder. */
  private void configure(FFmpegFrameRecorder rec, boolean video, double fps) {
    rec.setFormat("mp4");
    rec.setOption("movflags", "+faststart+write_colr");
    // wait for every stream however long the audio takes: without it the muxer gives up interleaving after 10 s
    rec.setOption("max_interleave_delta", "0");
    AudioLeveller.configureAudio(rec);
    if (video) {
      rec.setVideoCodec(AV_CODEC_ID_H264);
      rec.setPixelFormat(AV_PIX_FMT_YUV420P);
      rec.setFrameRate(fps);
      rec.setGopSize((int) Math.round(fps * 2));
      rec.setVideoBitrate(0);
      rec.setVideoOption("preset", settings.x264Preset());
      rec.setVideoOption("crf", Integer.toString(settings.crf()));
      rec.setVideoOption("profile", ClipOutputSpec.PROFILE_NAME);
      rec.setVideoOption("level", Integer.toString(ClipOutputSpec.LEVEL));
      rec.setVideoOption("maxrate", ClipOutputSpec.MAX_RATE);
      rec.setVideoOption("bufsize", ClipOutputSpec.BUFSIZE);
      rec.setVideoOption("color_primaries", ClipOutputSpec.COLOUR);
      rec.setVideoOption("color_trc", ClipOutputSpec.COLOUR);
      rec.setVideoOption("colorspace", ClipOutputSpec.COLOUR);
      rec.setVideoOption("color_range", "tv");
    }
  }

  /** Copies the window at ({@code left}, {@code top}) of {@code src} into the packed {@code dst} (even offsets). */
  static void copy(SegmentVideo.Yuv src, SegmentVideo.Yuv dst, int left, int top) {
    ByteBuffer s = src.data().duplicate();
    ByteBuffer d = dst.data().duplicate();
    byte[] row = new byte[dst.width()];
    for (int y = 0; y < dst.height(); y++) {
      s.position((top + y) * src.lumaStride() + left);
      s.get(row, 0, dst.width());
      d.position(y * dst.lumaStride());
      d.put(row, 0, dst.width());
    }
    int cw = (dst.width() + 1) / 2;
    for (int y = 0; y < (dst.height() + 1) / 2; y++) {
      int sy = top / 2 + y;
      s.position(src.uOffset() + sy * src.chromaStride() + left / 2);
      s.get(row, 0, cw);
      d.position(dst.uOffset() + y * dst.chromaStride());
      d.put(row, 0, cw);
      s.position(src.vOffset() + sy * src.chromaStride() + left / 2);
      s.get(row, 0, cw);
      d.position(dst.vOffset() + y * dst.chromaStride());
      d.put(row, 0, cw);
    }
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

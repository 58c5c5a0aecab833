package io.videopipe.clip;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_color_primaries_name;
import static org.bytedeco.ffmpeg.global.avutil.av_color_space_name;
import static org.bytedeco.ffmpeg.global.avutil.av_color_transfer_name;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

import io.videopipe.loudness.LoudnessMeasurementException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * Inspects a rendered clip independently of the renderer: what the container and the bitstream declare (codec,
 * profile, level, pixel format, colour tags, audio format), whether the index comes first, and a full decode of every
 * video and audio frame counting errors. QA, the tests and the benchmark use it.
 */
public final class ClipInspector {

  static {
    Loader.load(avutil.class);
  }

  /**
   * @param videoCodec e.g. "h264", null without video
   * @param profile the codec profile number (H.264 High = 100)
   * @param level the H.264 level_idc (40 = level 4.0)
   * @param primaries container/stream colour primaries, e.g. "bt709"
   * @param frameColour primaries/transfer/matrix of the first decoded frame (the bitstream's VUI), e.g.
   *     "bt709/bt709/bt709"
   * @param fps the video stream's average frame rate
   * @param durationSec the container's duration
   * @param moovFirst the index ('moov') precedes the media data ('mdat'): playable while downloading
   * @param videoFrames frames decoded, {@code audioSamples} per channel
   * @param firstVideoSec timestamp of the first decoded video frame (relative to the container's start)
   * @param decodeErrors packets or frames the decoders rejected
   */
  public record Report(
      String videoCodec,
      int profile,
      int level,
      String pixelFormat,
      int width,
      int height,
      double fps,
      String primaries,
      String transfer,
      String matrix,
      String frameColour,
      String audioCodec,
      int sampleRate,
      int channels,
      double durationSec,
      boolean moovFirst,
      long videoFrames,
      long audioSamples,
      double firstVideoSec,
      int decodeErrors) {
    public boolean hasVideo() {
      return videoCodec != null;
    }
  }

  public Report inspect(Path file) throws IOException {
    return inspect(file, () -> {});
  }

  /**
   * Probes and fully decodes {@code file}; {@code progress} runs every few hundred packets.
   *
   * @throws LoudnessMeasurementException when FFmpeg cannot open the file at all
   */
  public Report inspect(Path file, Runnable progress) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new FileNotFoundException("no such clip: " + file);
    }
    try (PointerScope scope = new PointerScope()) {
      return run(file, progress);
    }
  }

  private Report run(Path file, Runnable progress) throws IOException {
    boolean moovFirst = moovFirst(file);
    AVFormatContext fmt = new AVFormatContext(null);
    AVCodecContext vdec = null;
    AVCodecContext adec = null;
    AVPacket pkt = null;
    AVFrame frame = null;
    try {
      check(avformat_open_input(fmt, file.toString(), null, null), "cannot open " + file);
      check(avformat_find_stream_info(fmt, (PointerPointer<?>) null), "cannot read stream info of " + file);
      int vIndex = -1;
      int aIndex = -1;
      for (int i = 0; i < fmt.nb_streams(); i++) {
        int type = fmt.streams(i).codecpar().codec_type();
        if (type == AVMEDIA_TYPE_VIDEO && vIndex < 0) {
          vIndex = i;
        } else if (type == AVMEDIA_TYPE_AUDIO && aIndex < 0) {
          aIndex = i;
        }
      }
      String videoCodec = null;
      int profile = 0;
      int level = 0;
      String pixFmt = null;
      int width = 0;
      int height = 0;
      double fps = 0;
      String primaries = null;
      String transfer = null;
      String matrix = null;
      double vTimeBase = 0;
      if (vIndex >= 0) {
        AVStream s = fmt.streams(vIndex);
        AVCodecParameters p = s.codecpar();
        videoCodec = name(avcodec_get_name(p.codec_id()));
        profile = p.profile();
        level = p.level();
        pixFmt = name(av_get_pix_fmt_name(p.format()));
        width = p.width();
        height = p.height();
        fps = s.avg_frame_rate().den() > 0 ? av_q2d(s.avg_frame_rate()) : 0;
        primaries = name(av_color_primaries_name(p.color_primaries()));
        transfer = name(av_color_transfer_name(p.color_trc()));
        matrix = name(av_color_space_name(p.color_space()));
        vTimeBase = av_q2d(s.time_base());
        vdec = open(p);
      }
      String audioCodec = null;
      int rate = 0;
      int channels = 0;
      if (aIndex >= 0) {
        AVCodecParameters p = fmt.streams(aIndex).codecpar();
        audioCodec = name(avcodec_get_name(p.codec_id()));
        rate = p.sample_rate();
        channels = p.ch_layout().nb_channels();
        adec = open(p);
      }
      double duration = fmt.duration() == AV_NOPTS_VALUE ? 0 : fmt.duration() / 1e6;
      long startPts = vIndex >= 0 && fmt.streams(vIndex).start_time() != AV_NOPTS_VALUE
          ? fmt.streams(vIndex).start_time() : 0;

      pkt = av_packet_alloc();
      frame = av_frame_alloc();
      Counts counts = new Counts();
      long packets = 0;
      while (true) {
        if (++packets % 256 == 0) {
          progress.run();
        }
        int ret = av_read_frame(fmt, pkt);
        if (ret == AVERROR_EOF) {
          break;
        }
        if (ret < 0) {
          counts.errors++;
          break;
        }
        try {
          if (pkt.stream_index() == vIndex && vdec != null) {
            decode(vdec, pkt, frame, counts, true, vTimeBase, startPts);
          } else if (pkt.stream_index() == aIndex && adec != null) {
            decode(adec, pkt, frame, counts, false, 0, 0);
          }
        } finally {
          av_packet_unref(pkt);
        }
      }
      if (vdec != null) {
        decode(vdec, null, frame, counts, true, vTimeBase, startPts);
      }
      if (adec != null) {
        decode(adec, null, frame, counts, false, 0, 0);
      }
      return new Report(videoCodec, profile, level, pixFmt, width, height, fps, primaries, transfer, matrix,
          counts.frameColour, audioCodec, rate, channels, duration, moovFirst, counts.videoFrames, counts.audioSamples,
          counts.firstVideoSec, counts.errors);
    } finally {
      if (frame != null) {
        av_frame_free(frame);
      }
      if (pkt != null) {
        av_packet_free(pkt);
      }
      if (vdec != null) {
        avcodec_free_context(vdec);
      }
      if (adec != null) {
        avcodec_free_context(adec);
      }
      avformat_close_input(fmt);
    }
  }

  private static final class Counts {
    long videoFrames;
    long audioSamples;
    int errors;
    double firstVideoSec = Double.NaN;
    String frameColour;
  }

  private static AVCodecContext open(AVCodecParameters p) throws IOException {
    AVCodec codec = avcodec_find_decoder(p.codec_id());
    if (codec == null || codec.isNull()) {
      return null;
    }
    AVCodecContext ctx = avcodec_alloc_context3(codec);
    check(avcodec_parameters_to_context(ctx, p), "cannot configure decoder");
    check(avcodec_open2(ctx, codec, (AVDictionary) null), "cannot open decoder");
    return ctx;
  }

  private static void decode(AVCodecContext dec, AVPacket pkt, AVFrame frame, Counts counts, boolean video,
      double timeBase, long startPts) {
    int ret = avcodec_send_packet(dec, pkt);
    if (ret < 0 && ret != AVERROR_EOF && ret != AVERROR_EAGAIN()) {
      counts.errors++;
      return;
    }
    while (true) {
      ret = avcodec_receive_frame(dec, frame);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) {
        return;
      }
      if (ret < 0) {
        counts.errors++;
        return;
      }
      if ((frame.decode_error_flags() != 0) || (frame.flags() & 1) != 0 /* AV_FRAME_FLAG_CORRUPT */) {
        counts.errors++;
      }
      if (video) {
        if (counts.videoFrames == 0) {
          long pts = frame.best_effort_timestamp();
          counts.firstVideoSec = pts == AV_NOPTS_VALUE ? Double.NaN : (pts - startPts) * timeBase;
          counts.frameColour = name(av_color_primaries_name(frame.color_primaries())) + "/"
              + name(av_color_transfer_name(frame.color_trc())) + "/" + name(av_color_space_name(frame.colorspace()));
        }
        counts.videoFrames++;
      } else {
        counts.audioSamples += frame.nb_samples();
      }
    }
  }

  /** Walks the top-level MP4 boxes: true when 'moov' comes before 'mdat'. */
  static boolean moovFirst(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      long pos = 0;
      long size = Files.size(file);
      byte[] header = new byte[16];
      while (pos + 8 <= size) {
        if (in.readNBytes(header, 0, 8) < 8) {
          return false;
        }
        ByteBuffer b = ByteBuffer.wrap(header);
        long boxSize = b.getInt(0) & 0xffffffffL;
        String type = new String(header, 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
        int read = 8;
        if (boxSize == 1) {
          if (in.readNBytes(header, 8, 8) < 8) {
            return false;
          }
          boxSize = b.getLong(8);
          read = 16;
        }
        if (type.equals("moov")) {
          return true;
        }
        if (type.equals("mdat") || boxSize == 0 || boxSize < read) {
          return false;
        }
        in.skipNBytes(Math.min(boxSize - read, size - pos - read));
        pos += boxSize;
      }
      return false;
    }
  }

  private static String name(BytePointer p) {
    return p == null || p.isNull() ? null : p.getString();
  }

  private static void check(int ret, String what) throws LoudnessMeasurementException {
    if (ret < 0) {
      throw new LoudnessMeasurementException(what + " (" + ret + ")");
    }
  }
}

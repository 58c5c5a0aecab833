package io.videopipe.audio;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_DEFAULT;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_describe;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import io.videopipe.pipeline.ErrorTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/** Reads a media file's container, duration and streams with libavformat (in-process, no CLI). */
public final class MediaProbe {

  private MediaProbe() {}

  /**
   * Probes {@code file}. Throws {@link MediaException} of type {@link ErrorTypes#UNSUPPORTED_MEDIA} when FFmpeg cannot
   * read it (the message names the cause), {@link NoSuchFileException} when it does not exist.
   */
  public static MediaInfo probe(Path file) throws MediaException, IOException {
    AVFormatContext ctx = open(file);
    try {
      return describe(ctx);
    } finally {
      avformat_close_input(ctx);
    }
  }

  /**
   * Throws {@link ErrorTypes#NO_AUDIO_STREAM} when the source {@code file} probed as {@code media} has no audio, or
   * {@link ErrorTypes#UNSUPPORTED_MEDIA} when FFmpeg found neither audio nor video in it or it is visibly truncated (a
   * cut MP4 index can lose the audio track).
   */
  public static void requireAudio(Path file, MediaInfo media) throws MediaException, IOException {
    if (!media.audio().isEmpty()) {
      return;
    }
    String damage = damage(file);
    if (damage != null) {
      throw MediaException.unsupported(damage + ": FFmpeg found no audio stream in what is left");
    }
    if (media.video().isEmpty()) {
      throw MediaException.unsupported(
          "not a media file: FFmpeg read it as '" + media.container() + "' but found no audio or video stream");
    }
    int n = media.video().size();
    String streams =
        media.video().stream()
            .map(v -> String.format(Locale.ROOT, "%s %dx%d", v.codec(), v.width(), v.height()))
            .collect(Collectors.joining(", "));
    throw new MediaException(
        ErrorTypes.NO_AUDIO_STREAM,
        String.format(
            Locale.ROOT,
            "no audio stream: the source has %d video stream%s (%s) and nothing to transcribe",
            n,
            n == 1 ? "" : "s",
            streams));
  }

  /** Opens and reads stream parameters; the caller closes the context with {@code avformat_close_input}. */
  static AVFormatContext open(Path file) throws MediaException, IOException {
    long size = Files.size(file);
    if (size == 0) {
      throw MediaException.unsupported("zero-byte file: there is nothing to decode");
    }
    AVFormatContext ctx = new AVFormatContext(null);
    int err;
    try (BytePointer url = new BytePointer(file.toAbsolutePath().toString(), StandardCharsets.UTF_8)) {
      err = avformat_open_input(ctx, url, null, null);
    }
    if (err < 0) {
      throw MediaException.unsupported(openFailure(file, err));
    }
    err = avformat_find_stream_info(ctx, (PointerPointer<?>) null);
    if (err < 0) {
      avformat_close_input(ctx);
      String damage = damage(file);
      throw MediaException.unsupported(
          (damage != null ? damage : "truncated or corrupt")
              + ": FFmpeg opened it but cannot read its stream parameters ("
              + strerror(err)
              + ")");
    }
    return ctx;
  }

  static MediaInfo describe(AVFormatContext ctx) {
    String container = ctx.iformat() == null ? "unknown" : ctx.iformat().name().getString();
    double duration = ctx.duration() == AV_NOPTS_VALUE ? 0 : ctx.duration() / (double) AV_TIME_BASE;
    List<MediaInfo.VideoStream> video = new ArrayList<>();
    List<MediaInfo.AudioStream> audio = new ArrayList<>();
    byte[] layout = new byte[128];
    for (int i = 0; i < ctx.nb_streams(); i++) {
      AVStream st = ctx.streams(i);
      AVCodecParameters par = st.codecpar();
      String codec = avcodec_get_name(par.codec_id()).getString();
      if (par.codec_type() == AVMEDIA_TYPE_VIDEO && (st.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) {
        video.add(new MediaInfo.VideoStream(i, codec, par.width(), par.height(), fps(st)));
      } else if (par.codec_type() == AVMEDIA_TYPE_AUDIO) {
        int n = av_channel_layout_describe(par.ch_layout(), layout, layout.length);
        String described = n > 0 ? cString(layout) : par.ch_layout().nb_channels() + " channels";
        double streamSec =
            st.duration() != AV_NOPTS_VALUE && st.duration() > 0 ? st.duration() * av_q2d(st.time_base()) : 0;
        audio.add(
            new MediaInfo.AudioStream(
                i, codec, par.sample_rate(), par.ch_layout().nb_channels(), described, streamSec, language(st),
                (st.disposition() & AV_DISPOSITION_DEFAULT) != 0));
      }
      if (duration <= 0 && st.duration() != AV_NOPTS_VALUE && st.duration() > 0) {
        duration = st.duration() * av_q2d(st.time_base());
      }
    }
    return new MediaInfo(
        container, duration, Math.max(0, ctx.bit_rate()), List.copyOf(video), List.copyOf(audio), null);
  }

  /** The stream's language tag; null when untagged or "und" (undetermined, what MP4 writes for none). */
  private static String language(AVStream st) {
    AVDictionaryEntry e = av_dict_get(st.metadata(), "language", null, 0);
    if (e == null || e.value() == null) {
      return null;
    }
    String lang = e.value().getString().trim().toLowerCase(Locale.ROOT);
    return lang.isEmpty() || lang.equals("und") ? null : lang;
  }

  static String strerror(int err) {
    byte[] buf = new byte[256];
    if (av_strerror(err, buf, buf.length) < 0) {
      return "FFmpeg error " + err;
    }
    return cString(buf);
  }

  private static double fps(AVStream st) {
    AVRational r = st.avg_frame_rate();
    if (r.num() <= 0 || r.den() <= 0) {
      r = st.r_frame_rate();
    }
    if (r.num() <= 0 || r.den() <= 0) {
      return 0;
    }
    return Math.round(av_q2d(r) * 1000) / 1000.0;
  }

  private static String cString(byte[] buf) {
    int end = 0;
    while (end < buf.length && buf[end] != 0) {
      end++;
    }
    return new String(buf, 0, end, StandardCharsets.UTF_8);
  }

  /** Names why FFmpeg could not open the file: structural damage if it can be seen, else FFmpeg's own reason. */
  private static String openFailure(Path file, int err) throws IOException {
    String ffmpeg = strerror(err);
    String damage = damage(file);
    if (damage != null) {
      return damage + "; FFmpeg: " + ffmpeg;
    }
    String kind = magic(file);
    if (kind != null) {
      return "truncated or damaged " + kind + " file: FFmpeg cannot read its header (" + ffmpeg + ")";
    }
    return "not a media file FFmpeg can read: " + ffmpeg;
  }

  /**
   * Describes visible structural damage, today the MP4/MOV family: a top-level box cut short by the end of the file or
   * a missing 'moov' index. Null when the file is not MP4/MOV or looks whole.
   */
  static String damage(Path file) throws IOException {
    IsoBoxes boxes = IsoBoxes.scan(file, Files.size(file));
    if (boxes == null) {
      return null;
    }
    boolean moov = boxes.seen().contains("moov");
    if (boxes.cutBox() != null) {
      return String.format(
          Locale.ROOT,
          "truncated: the MP4/MOV file ends inside its '%s' box (%d of %d bytes present)%s",
          boxes.cutBox(),
          boxes.cutHave(),
          boxes.cutWant(),
          moov || "moov".equals(boxes.cutBox()) ? "" : " and has no 'moov' index");
    }
    if (!moov) {
      return "truncated or damaged: the MP4/MOV file has no 'moov' index (boxes found: "
          + String.join(", ", boxes.seen())
          + ")";
    }
    return null;
  }

  /** The container family a file's first bytes announce, for messages about files FFmpeg gave up on. */
  private static String magic(Path file) throws IOException {
    byte[] head = new byte[12];
    int n;
    try (var in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    String ascii = new String(head, 0, n, StandardCharsets.ISO_8859_1);
    if (n >= 4 && (head[0] & 0xff) == 0x1a && (head[1] & 0xff) == 0x45 && (head[2] & 0xff) == 0xdf
        && (head[3] & 0xff) == 0xa3) {
      return "Matroska/WebM";
    }
    if (ascii.startsWith("RIFF")) {
      return ascii.startsWith("WAVE", 8) ? "WAV" : ascii.startsWith("AVI ", 8) ? "AVI" : "RIFF";
    }
    if (ascii.startsWith("OggS")) {
      return "Ogg";
    }
    if (ascii.startsWith("fLaC")) {
      return "FLAC";
    }
    if (ascii.startsWith("ID3")) {
      return "MP3";
    }
    return null;
  }

  /** Top-level boxes of an ISO base media file (MP4, MOV, M4A), or null when it does not start like one. */
  private record IsoBoxes(List<String> seen, String cutBox, long cutHave, long cutWant) {
    private static final List<String> FIRST_BOXES = List.of("ftyp", "moov", "mdat", "free", "skip", "wide", "pnot");

    static IsoBoxes scan(Path file, long size) throws IOException {
      List<String> seen = new ArrayList<>();
      ByteBuffer header = ByteBuffer.allocate(16);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        long pos = 0;
        while (pos + 8 <= size && seen.size() < 10_000) {
          header.clear();
          ch.read(header, pos);
          header.flip();
          if (header.remaining() < 8) {
            break;
          }
          long boxSize = Integer.toUnsignedLong(header.getInt());
          byte[] typeBytes = new byte[4];
          header.get(typeBytes);
          String type = new String(typeBytes, StandardCharsets.ISO_8859_1);
          if (seen.isEmpty() && !FIRST_BOXES.contains(type)) {
            return null;
          }
          if (!type.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return new IsoBoxes(seen, null, 0, 0);
          }
          if (boxSize == 1) {
            if (header.remaining() < 8) {
              return new IsoBoxes(seen, type, size - pos, 16);
            }
            boxSize = header.getLong();
          } else if (boxSize == 0) {
            boxSize = size - pos;
          }
          seen.add(type);
          if (boxSize < 8) {
            return new IsoBoxes(seen, null, 0, 0);
          }
          if (pos + boxSize > size) {
            return new IsoBoxes(seen, type, size - pos, boxSize);
          }
          pos += boxSize;
        }
        if (seen.isEmpty()) {
          return null;
        }
        if (pos < size) {
          return new IsoBoxes(seen, "(header)", size - pos, 8);
        }
        return new IsoBoxes(seen, null, 0, 0);
      }
    }
  }
}

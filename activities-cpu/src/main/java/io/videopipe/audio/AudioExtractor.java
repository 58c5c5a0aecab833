package io.videopipe.audio;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_LAYOUT_MONO;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_UNSPEC;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_compare;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import io.videopipe.pipeline.ErrorTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Decodes one audio stream ({@link AudioTrackChoice}) of a media file to a 16 kHz mono signed 16-bit PCM WAV, in-process with libavformat,
 * libavcodec and libswresample. Streams: memory stays bounded (one packet, one frame and a fixed output buffer)
 * whatever the input length. Other streams are discarded at the demuxer so their packets are never read or decoded.
 */
public final class AudioExtractor {
  public static final int SAMPLE_RATE = 16_000;
  static final int WAV_HEADER_BYTES = 44;

  /** 1 MiB = 32 s of output per write. */
  private static final int OUT_BUFFER_BYTES = 1 << 20;

  /**
   * The resampler writes here, at a fixed aligned address, and the samples are then appended to the output buffer:
   * swresample drops to its slow C paths when the output pointer is unaligned (measured 3x slower).
   */
  private static final int SCRATCH_SAMPLES = 16_384;

  /** Packets between cancellation/progress polls: about 0.3-0.7 s of audio for common codecs. */
  private static final int PACKETS_PER_POLL = 16;

  private static final int EAGAIN;
  private static final int EOF;

  static {
    // The error macros live in a preset superclass; loading avutil registers their natives.
    Loader.load(avutil.class);
    EAGAIN = AVERROR_EAGAIN();
    EOF = AVERROR_EOF();
  }

  /** Progress and cancellation hooks; both run on the extracting thread. */
  public interface Listener {
    Listener NONE = (fraction, decodedSec) -> {};

    /**
     * Reports the share of the source decoded (0..1) and the seconds of audio written. May throw a RuntimeException
     * (for example a heartbeat noticing cancellation) to stop extraction; it propagates after native cleanup.
     */
    void progress(double fraction, double decodedSec);

    /** Polled every few packets; true stops extraction with a {@link CancellationException}. */
    default boolean cancelled() {
      return false;
    }
  }

  /**
   * @param media what the probe found
   * @param samples 16 kHz samples written
   * @param corruptPackets packets the decoder rejected and that were skipped
   * @param endedEarly the audio stopped well before its declared end or on a read error: a truncated source whose
   *     decodable part was kept
   */
  public record Result(MediaInfo media, long samples, int corruptPackets, boolean endedEarly) {
    public double durationSec() {
      return samples / (double) SAMPLE_RATE;
    }
  }

  private final long progressEveryNanos;

  /** @param progressEveryNanos minimum time between two {@link Listener#progress} calls (0 = every poll) */
  public AudioExtractor(long progressEveryNanos) {
    this.progressEveryNanos = progressEveryNanos;
  }

  public AudioExtractor() {
    this(200_000_000L);
  }

  /**
   * A source counts as truncated ({@link ErrorTypes#SOURCE_TRUNCATED}) when its audio decodes to less than this share
   * of the declared duration...
   */
  static final double TRUNCATED_RATIO = 0.5;

  /** ...and falls short of it by more than this many seconds (short clips' priming and padding never do). */
  static final double TRUNCATED_GAP_SEC = 2;

  /** Writes {@code wav} from the audio stream {@link AudioTrackChoice} picks itself; see the other overload. */
  public Result extract(Path source, Path wav, Listener listener) throws MediaException, IOException {
    return extract(source, wav, null, listener);
  }

  /**
   * Writes {@code wav} from the audio stream of {@code source} that {@code audioTrack} names (stream index or
   * language), or that {@link AudioTrackChoice} picks when it is null. Throws {@link MediaException} for input FFmpeg
   * cannot read, that has no audio, whose audio is cut far short of its declared duration, or that has no such track;
   * on any exception {@code wav} may hold partial data and the caller deletes it.
   */
  public Result extract(Path source, Path wav, String audioTrack, Listener listener)
      throws MediaException, IOException {
    AVFormatContext fmt = MediaProbe.open(source);
    try {
      MediaInfo probed = MediaProbe.describe(fmt);
      MediaProbe.requireAudio(source, probed);
      MediaInfo media = probed.withAudioTrack(AudioTrackChoice.choose(source, probed, audioTrack, this));
      try (Run run = new Run(source, fmt, media, listener, progressEveryNanos, 0);
          FileChannel out =
              FileChannel.open(
                  wav,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.TRUNCATE_EXISTING,
                  StandardOpenOption.WRITE)) {
        return run.decodeTo(out);
      }
    } finally {
      avformat_close_input(fmt);
    }
  }

  /** RMS level in dBFS of the first {@code seconds} of audio stream {@code streamIndex}, decoded to 16 kHz mono. */
  double rmsDbfs(Path source, int streamIndex, double seconds) throws MediaException, IOException {
    AVFormatContext fmt = MediaProbe.open(source);
    try {
      MediaInfo probed = MediaProbe.describe(fmt);
      MediaInfo media =
          probed.withAudioTrack(new MediaInfo.AudioTrack(streamIndex, null, "measuring its level"));
      try (Run run = new Run(source, fmt, media, Listener.NONE, Long.MAX_VALUE, (long) (seconds * SAMPLE_RATE))) {
        return run.measure();
      }
    } finally {
      avformat_close_input(fmt);
    }
  }

  /** One extraction: owns every native object it allocates and frees them in {@link #close()}. */
  private static final class Run implements AutoCloseable {
    private final Path source;
    private final AVFormatContext fmt;
    private final MediaInfo media;
    private final Listener listener;
    private final long progressEveryNanos;
    private final int streamIndex;
    private final AVStream stream;

    private AVCodecContext decoder;
    private AVPacket packet;
    private AVFrame frame;
    private SwrContext swr;
    /** The decoder's layout the resampler was built for, as the decoder reported it (possibly unspecified order). */
    private final AVChannelLayout swrSourceLayout = new AVChannelLayout();
    private final AVChannelLayout swrInLayout = new AVChannelLayout();
    private int swrInFormat = -1;
    private int swrInRate = -1;
    private BytePointer outBuffer;
    private ByteBuffer outView;
    private BytePointer scratch;
    private final PointerPointer<BytePointer> scratchPlanes = new PointerPointer<>(1);
    private int outFilled;
    private FileChannel channel;

    private long samples;
    private int corruptPackets;
    private boolean endedEarly;
    /** Above 0: only measure the level of this many samples, write nothing. */
    private final long measureSamples;
    private double sumSquares;

    Run(Path source, AVFormatContext fmt, MediaInfo media, Listener listener, long progressEveryNanos,
        long measureSamples) {
      this.source = source;
      this.fmt = fmt;
      this.media = media;
      this.listener = listener;
      this.progressEveryNanos = progressEveryNanos;
      this.streamIndex = media.decodedAudio().index();
      this.stream = fmt.streams(streamIndex);
      this.measureSamples = measureSamples;
    }

    /** RMS in dBFS of up to {@code measureSamples} samples; -inf for digital silence or nothing decoded. */
    double measure() throws MediaException, IOException {
      decodeTo(null);
      if (samples == 0 || sumSquares == 0) {
        return Double.NEGATIVE_INFINITY;
      }
      return 20 * Math.log10(Math.sqrt(sumSquares / samples) / 32768.0);
    }

    Result decodeTo(FileChannel out) throws MediaException, IOException {
      this.channel = out;
      for (int i = 0; i < fmt.nb_streams(); i++) {
        if (i != streamIndex) {
          fmt.streams(i).discard(AVDISCARD_ALL);
        }
      }
      openDecoder();
      packet = av_packet_alloc();
      frame = av_frame_alloc();
      outBuffer = new BytePointer(OUT_BUFFER_BYTES);
      outView = outBuffer.position(0).limit(OUT_BUFFER_BYTES).asByteBuffer();
      scratch = new BytePointer(SCRATCH_SAMPLES * 2L);
      scratchPlanes.put(0, scratch);
      if (channel != null) {
        channel.write(ByteBuffer.allocate(WAV_HEADER_BYTES), 0);
        channel.position(WAV_HEADER_BYTES);
      }

      double timeBase = av_q2d(stream.time_base());
      long startPts = stream.start_time() == AV_NOPTS_VALUE ? 0 : stream.start_time();
      double duration = media.durationSec();
      if (stream.duration() != AV_NOPTS_VALUE && stream.duration() > 0) {
        duration = stream.duration() * timeBase;
      }
      long lastProgress = System.nanoTime();
      long lastPts = AV_NOPTS_VALUE;
      int sincePoll = 0;
      int lastError = 0;
      while (true) {
        int r = av_read_frame(fmt, packet);
        if (r >= 0) {
          try {
            if (packet.stream_index() == streamIndex) {
              if (packet.pts() != AV_NOPTS_VALUE) {
                lastPts = packet.pts();
              }
              int s = avcodec_send_packet(decoder, packet);
              if (s < 0) {
                corruptPackets++;
                lastError = s;
              } else {
                receiveFrames();
              }
            }
          } finally {
            av_packet_unref(packet);
          }
          if (measureSamples > 0 && samples >= measureSamples) {
            return null;
          }
        } else if (r != EAGAIN) {
          if (r != EOF) {
            endedEarly = true;
            lastError = r;
          }
          break;
        }
        if (++sincePoll >= PACKETS_PER_POLL) {
          sincePoll = 0;
          if (listener.cancelled() || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("audio extraction cancelled");
          }
          long now = System.nanoTime();
          if (now - lastProgress >= progressEveryNanos) {
            lastProgress = now;
            double fraction =
                duration > 0 && lastPts != AV_NOPTS_VALUE ? (lastPts - startPts) * timeBase / duration : 0;
            listener.progress(Math.min(1, Math.max(0, fraction)), decodedSec());
          }
        }
      }
      // Drain the decoder, then the resampler's delay line.
      if (avcodec_send_packet(decoder, null) >= 0) {
        receiveFrames();
      }
      if (swr != null) {
        flushResampler();
      }
      if (measureSamples > 0) {
        return null;
      }
      MediaInfo.AudioStream decoded = media.decodedAudio();
      if (duration > 0
          && decodedSec() < duration * TRUNCATED_RATIO
          && duration - decodedSec() > TRUNCATED_GAP_SEC) {
        String damage = MediaProbe.damage(source);
        throw new MediaException(
            ErrorTypes.SOURCE_TRUNCATED,
            String.format(
                Locale.ROOT,
                "truncated source: only %.2f s of audio decodes from %s audio stream %d, but the container declares"
                    + " %.2f s%s",
                decodedSec(),
                decoded.codec(),
                decoded.index(),
                duration,
                damage != null ? " (" + damage + ")" : lastError < 0 ? " (" + MediaProbe.strerror(lastError) + ")" : ""));
      }
      if (samples == 0) {
        String why = lastError < 0 ? " (" + MediaProbe.strerror(lastError) + ")" : "";
        String damage = MediaProbe.damage(source);
        throw MediaException.unsupported(
            (damage != null ? damage + ": " : "truncated or corrupt: ")
                + "no "
                + decoded.codec()
                + " audio could be decoded"
                + why);
      }
      // Tolerance covers codec priming and padding; a cut file misses far more.
      if (duration > 0 && decodedSec() < duration * 0.95 - 0.5) {
        endedEarly = true;
      }
      writeOut();
      writeHeader();
      listener.progress(1, decodedSec());
      return new Result(media, samples, corruptPackets, endedEarly);
    }

    private double decodedSec() {
      return samples / (double) SAMPLE_RATE;
    }

    private void openDecoder() throws MediaException {
      MediaInfo.AudioStream info = media.decodedAudio();
      AVCodec codec = avcodec_find_decoder(stream.codecpar().codec_id());
      if (codec == null) {
        throw MediaException.unsupported("no decoder for the " + info.codec() + " audio stream");
      }
      decoder = avcodec_alloc_context3(codec);
      int r = avcodec_parameters_to_context(decoder, stream.codecpar());
      if (r >= 0) {
        decoder.pkt_timebase(stream.time_base());
        r = avcodec_open2(decoder, codec, (AVDictionary) null);
      }
      if (r < 0) {
        throw MediaException.unsupported(
            "cannot open the " + info.codec() + " audio decoder: " + MediaProbe.strerror(r));
      }
    }

    private void receiveFrames() throws MediaException, IOException {
      while (true) {
        int r = avcodec_receive_frame(decoder, frame);
        if (r == EAGAIN || r == EOF) {
          return;
        }
        if (r < 0) {
          corruptPackets++;
          return;
        }
        if (frame.nb_samples() > 0) {
          ensureResampler();
          convert(frame.extended_data(), frame.nb_samples());
        }
      }
    }

    /** (Re)creates the resampler when the decoded format changes, e.g. on the first frame or an HE-AAC switch. */
    private void ensureResampler() throws MediaException, IOException {
      AVChannelLayout layout = frame.ch_layout();
      if (swr != null
          && frame.format() == swrInFormat
          && frame.sample_rate() == swrInRate
          && av_channel_layout_compare(layout, swrSourceLayout) == 0) {
        return;
      }
      if (swr != null) {
        flushResampler();
        swr_free(swr);
        swr = null;
      }
      av_channel_layout_uninit(swrSourceLayout);
      av_channel_layout_copy(swrSourceLayout, layout);
      av_channel_layout_uninit(swrInLayout);
      if (layout.order() == AV_CHANNEL_ORDER_UNSPEC) {
        // Unknown speaker positions: assume FFmpeg's default layout for that count so the downmix uses every channel.
        av_channel_layout_default(swrInLayout, layout.nb_channels());
      } else {
        av_channel_layout_copy(swrInLayout, layout);
      }
      swrInFormat = frame.format();
      swrInRate = frame.sample_rate();
      SwrContext created = new SwrContext(null);
      int r =
          swr_alloc_set_opts2(
              created,
              AV_CHANNEL_LAYOUT_MONO,
              AV_SAMPLE_FMT_S16,
              SAMPLE_RATE,
              swrInLayout,
              swrInFormat,
              swrInRate,
              0,
              null);
      if (r >= 0) {
        swr = created;
        r = swr_init(swr);
      }
      if (r < 0) {
        throw MediaException.unsupported(
            String.format(
                "cannot resample %d Hz %d-channel audio to 16 kHz mono: %s",
                swrInRate, layout.nb_channels(), MediaProbe.strerror(r)));
      }
    }

    /** Resamples {@code in}; a null {@code in} drains the resampler's delay line at the end of the stream. */
    private void convert(PointerPointer<?> in, int inSamples) throws IOException {
      while (true) {
        int n = swr_convert(swr, scratchPlanes, SCRATCH_SAMPLES, in, inSamples);
        if (n < 0) {
          throw new IOException("resampling failed: " + MediaProbe.strerror(n));
        }
        int bytes = n * 2;
        if (measureSamples > 0) {
          for (int i = 0; i < n; i++) {
            double v = scratch.getShort(2L * i);
            sumSquares += v * v;
          }
          samples += n;
          if (n < SCRATCH_SAMPLES) {
            return;
          }
          inSamples = 0;
          continue;
        }
        if (outFilled + bytes > OUT_BUFFER_BYTES) {
          writeOut();
        }
        Pointer.memcpy(outBuffer.position(outFilled), scratch, bytes);
        outFilled += bytes;
        samples += n;
        if (n < SCRATCH_SAMPLES) {
          return;
        }
        // Scratch full: collect what the resampler kept back. A non-null input of 0 samples only collects; a null
        // one (final drain) also flushes the filter.
        inSamples = 0;
      }
    }

    private void flushResampler() throws IOException {
      convert(null, 0);
    }

    private void writeOut() throws IOException {
      outView.clear().limit(outFilled);
      while (outView.hasRemaining()) {
        channel.write(outView);
      }
      outFilled = 0;
    }

    private void writeHeader() throws IOException {
      long dataBytes = samples * 2;
      if (dataBytes > 0xFFFF_FFFFL - 36) {
        throw new IOException("audio too long for a WAV file: " + decodedSec() + " s");
      }
      ByteBuffer h = ByteBuffer.allocate(WAV_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      h.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (36 + dataBytes));
      h.put(new byte[] {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '}).putInt(16);
      h.putShort((short) 1).putShort((short) 1).putInt(SAMPLE_RATE).putInt(SAMPLE_RATE * 2);
      h.putShort((short) 2).putShort((short) 16);
      h.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) dataBytes);
      h.flip();
      while (h.hasRemaining()) {
        channel.write(h, h.position());
      }
    }

    @Override
    public void close() {
      if (swr != null) {
        swr_free(swr);
      }
      av_channel_layout_uninit(swrSourceLayout);
      swrSourceLayout.close();
      av_channel_layout_uninit(swrInLayout);
      swrInLayout.close();
      if (frame != null) {
        av_frame_free(frame);
      }
      if (packet != null) {
        av_packet_free(packet);
      }
      if (decoder != null) {
        avcodec_free_context(decoder);
      }
      if (outBuffer != null) {
        outBuffer.close();
      }
      if (scratch != null) {
        scratch.close();
      }
      scratchPlanes.close();
    }
  }
}

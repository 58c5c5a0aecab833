package io.videopipe.clip;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;

import io.videopipe.loudness.Loudness;
import io.videopipe.loudness.LoudnessMeter;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Levels a clip's audio to the loudness target with its true peak under the bound <em>as it will be published</em>:
 * after AAC encoding. The segment's own loudness (decoded once from the source) gives the gain; a 4x-oversampled
 * limiter holds the peaks under a ceiling set below the bound; then the levelled audio is encoded to AAC exactly as the
 * clip's will be (same encoder, settings and sample order: the AAC encoder is deterministic), decoded and measured, and
 * the gain and ceiling are trimmed until both land. Only the audio is encoded again: the picture is encoded once,
 * afterwards, with the final samples.
 */
final class AudioLeveller {
  /** The loudness of the encoded audio is trimmed until it lies this close to the target. */
  static final double LOUDNESS_AIM_LU = 0.1;
  /** The encoded true peak is held this far under the bound (the meter's interpolation differs from a player's). */
  static final double PEAK_MARGIN_DB = 0.1;
  /** First limiter ceiling under the bound: AAC at 160 kbit/s overshoots the PCM peak by up to about this much. */
  static final double FIRST_CEILING_MARGIN_DB = 1.0;
  /** Below this headroom the limiter is not needed at all (the gain alone keeps the peaks far from the bound). */
  static final double NO_LIMITER_HEADROOM_DB = 2.0;
  static final int MAX_PASSES = 5;

  /** The levelled samples and what their AAC encoding measured. */
  record Levelled(float[] samples, Loudness encoded, double gainDb, double ceilingDbtp, int passes) {}

  private final LoudnessMeter meter;

  AudioLeveller(LoudnessMeter meter) {
    this.meter = meter;
  }

  /**
   * @param audio interleaved 48 kHz stereo floats of the segment
   * @param attempt 2 and above start with a lower ceiling (the re-render after a failed QA check)
   */
  Levelled level(float[] audio, double targetLufs, double maxTruePeakDbtp, int attempt, Path dir, Runnable progress)
      throws IOException {
    Path wav = Files.createTempFile(dir, "level-", ".wav");
    Path probe = Files.createTempFile(dir, "level-", ".m4a");
    try {
      ClipRenderer.writeWav(wav, audio);
      Loudness source = meter.measure(wav, progress);
      if (source.integratedLufs() <= LoudnessMeter.FLOOR_LUFS + 1) {
        // Silence (or nearly): there is no loudness to bring to the target; keep it as it is.
        float[] same = audio.clone();
        return new Levelled(same, encodeAndMeasure(same, probe, progress), 0, maxTruePeakDbtp, 1);
      }
      double gain = targetLufs - source.integratedLufs();
      double ceiling = maxTruePeakDbtp - FIRST_CEILING_MARGIN_DB - (attempt >= 2 ? 0.5 : 0);
      boolean limit = source.truePeakDbtp() + gain > maxTruePeakDbtp - NO_LIMITER_HEADROOM_DB;
      Levelled best = null;
      for (int pass = 1; pass <= MAX_PASSES; pass++) {
        float[] out = limit ? gainAndLimit(audio, gain, ceiling) : gain(audio, gain);
        progress.run();
        Loudness got = encodeAndMeasure(out, probe, progress);
        Levelled now = new Levelled(out, got, gain, ceiling, pass);
        double peakExcess = got.truePeakDbtp() - (maxTruePeakDbtp - PEAK_MARGIN_DB);
        double residual = targetLufs - got.integratedLufs();
        if (best == null || score(now, targetLufs, maxTruePeakDbtp) < score(best, targetLufs, maxTruePeakDbtp)) {
          best = now;
        }
        if (peakExcess <= 0 && Math.abs(residual) <= LOUDNESS_AIM_LU) {
          return now;
        }
        gain += residual;
        if (peakExcess > 0) {
          limit = true;
          ceiling -= peakExcess + 0.1;
        }
      }
      return best;
    } finally {
      Files.deleteIfExists(wav);
      Files.deleteIfExists(probe);
    }
  }

  /** How far a result is from passing: a true peak over the bound weighs more than a loudness error. */
  private static double score(Levelled l, double target, double maxPeak) {
    double over = Math.max(0, l.encoded().truePeakDbtp() - (maxPeak - PEAK_MARGIN_DB));
    return 10 * over + Math.abs(target - l.encoded().integratedLufs());
  }

  private static float[] gain(float[] audio, double gainDb) {
    float g = (float) Math.pow(10, gainDb / 20);
    float[] out = new float[audio.length];
    for (int i = 0; i < audio.length; i++) {
      out[i] = audio[i] * g;
    }
    return out;
  }

  /** The gain, then a lookahead limiter running on 4x samples so that peaks between samples are held too. */
  private static float[] gainAndLimit(float[] audio, double gainDb, double ceilingDbtp) throws IOException {
    double limit = Math.pow(10, ceilingDbtp / 20);
    String chain = String.format(
        Locale.ROOT,
        "volume=%.4fdB,aresample=%d,alimiter=limit=%.6f:level=false:attack=5:release=50,aresample=%d,"
            + "aformat=sample_fmts=flt:channel_layouts=stereo",
        gainDb, ClipOutputSpec.SAMPLE_RATE * 4, limit, ClipOutputSpec.SAMPLE_RATE);
    return filter(audio, chain);
  }

  /** The samples through AAC exactly as the clip will carry them, measured on the decoded AAC. */
  private Loudness encodeAndMeasure(float[] audio, Path m4a, Runnable progress) throws IOException {
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(m4a.toFile(), 0, 0, ClipOutputSpec.CHANNELS)) {
      rec.setFormat("mp4");
      configureAudio(rec);
      rec.start();
      writeAudio(rec, audio, 0, audio.length / ClipOutputSpec.CHANNELS);
      rec.stop();
    } catch (FrameRecorder.Exception e) {
      throw new IOException("AAC encoding failed: " + e.getMessage(), e);
    }
    return meter.measure(m4a, progress);
  }

  /** The clip's audio encoder settings: the probe and the clip must use the same ones. */
  static void configureAudio(FFmpegFrameRecorder rec) {
    rec.setAudioCodec(AV_CODEC_ID_AAC);
    rec.setSampleRate(ClipOutputSpec.SAMPLE_RATE);
    rec.setAudioChannels(ClipOutputSpec.CHANNELS);
    rec.setAudioBitrate(ClipOutputSpec.AUDIO_BITRATE);
  }

  /** Writes samples {@code [from, to)} (per channel) in the chunks the clip's muxer uses. */
  static long writeAudio(FFmpegFrameRecorder rec, float[] audio, long from, long to) throws FrameRecorder.Exception {
    final int chunk = 4096;
    final int ch = ClipOutputSpec.CHANNELS;
    // a fresh array per chunk: JavaCV copies a heap buffer's whole backing array, ignoring a slice's offset
    for (long s = from; s < to; s += chunk) {
      int n = (int) Math.min(chunk, to - s);
      float[] part = Arrays.copyOfRange(audio, (int) s * ch, (int) (s + n) * ch);
      rec.recordSamples(ClipOutputSpec.SAMPLE_RATE, ch, FloatBuffer.wrap(part));
    }
    return Math.max(from, to);
  }

  /** Runs interleaved stereo 48 kHz floats through an audio filter chain; the result has the same length. */
  static float[] filter(float[] audio, String chain) throws IOException {
    final int ch = ClipOutputSpec.CHANNELS;
    final int rate = ClipOutputSpec.SAMPLE_RATE;
    float[] out = new float[audio.length];
    int written = 0;
    try (FFmpegFrameFilter f = new FFmpegFrameFilter(chain, ch)) {
      f.setSampleFormat(AV_SAMPLE_FMT_FLT);
      f.setSampleRate(rate);
      f.start();
      int chunk = 4096 * ch;
      for (int off = 0; off < audio.length; off += chunk) {
        int len = Math.min(chunk, audio.length - off);
        f.pushSamples(0, ch, rate, AV_SAMPLE_FMT_FLT, FloatBuffer.wrap(Arrays.copyOfRange(audio, off, off + len)));
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
}

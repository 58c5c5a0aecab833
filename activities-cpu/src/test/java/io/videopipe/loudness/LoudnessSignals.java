package io.videopipe.loudness;

import io.videopipe.audio.MediaFixtures;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test signals made with the bytedeco ffmpeg CLI ({@link MediaFixtures}) and the CLI's own EBU R128 reading of a file,
 * the reference {@link LoudnessMeter} is held to.
 */
public final class LoudnessSignals {
  private LoudnessSignals() {}

  /**
   * A sine of {@code hz} whose amplitude is the ffmpeg expression {@code amplitude} of {@code t} (seconds), as 16-bit
   * PCM WAV, e.g. {@code tone(dir, "a.wav", 16000, 1, 440, "if(lt(t,5),0.3,0.03)", 10)}.
   */
  public static Path tone(Path dir, String name, int sampleRate, int channels, int hz, String amplitude, double seconds) {
    String expr = String.format(Locale.ROOT, "(%s)*sin(2*PI*%d*t)", amplitude, hz);
    String source = channels == 1 ? expr : expr + "|" + expr;
    return MediaFixtures.ffmpeg(
        dir.resolve(name),
        "-f", "lavfi", "-i",
        // quoted: the expression's commas would otherwise split the filter graph
        String.format(Locale.ROOT, "aevalsrc='%s':s=%d:d=%s", source, sampleRate, num(seconds)),
        "-c:a", "pcm_s16le");
  }

  /** Digital silence, 16 kHz mono WAV. */
  public static Path silence(Path dir, String name, double seconds) {
    return MediaFixtures.ffmpeg(
        dir.resolve(name),
        "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", num(seconds), "-c:a", "pcm_s16le");
  }

  /**
   * What {@code ffmpeg -i file -af ebur128=peak=true -f null -} prints in its summary (0.1 precision), plus the last
   * integrated value the same filter tags frames with when run with {@code metadata=1} (0.001 precision).
   */
  public record CliReading(
      double integratedLufs, double loudnessRangeLu, double truePeakDbtp, double integratedLufsPrecise) {}

  private static final Pattern I = Pattern.compile("I:\\s+(-?[0-9.]+|-inf) LUFS");
  private static final Pattern LRA = Pattern.compile("LRA:\\s+(-?[0-9.]+) LU");
  private static final Pattern TAGGED_I = Pattern.compile("lavfi\\.r128\\.I=(-?[0-9.]+)");
  private static final Pattern PEAK = Pattern.compile("True peak:\\s+Peak:\\s+(-?[0-9.]+|-inf) dBFS");

  public static CliReading cli(Path file) {
    String out =
        MediaFixtures.run(
            "-hide_banner", "-nostats", "-nostdin", "-i", file.toString(), "-af", "ebur128=peak=true", "-f", "null", "-");
    int summary = out.lastIndexOf("Summary:");
    if (summary < 0) {
      throw new IllegalStateException("no ebur128 summary in:\n" + out);
    }
    String s = out.substring(summary);
    String tagged =
        MediaFixtures.run(
            "-hide_banner", "-nostats", "-nostdin", "-i", file.toString(),
            "-af", "ebur128=peak=true:metadata=1,ametadata=mode=print:key=lavfi.r128.I", "-f", "null", "-");
    Matcher m = TAGGED_I.matcher(tagged);
    double precise = Double.NaN;
    while (m.find()) {
      precise = Double.parseDouble(m.group(1));
    }
    return new CliReading(group(I, s), group(LRA, s), group(PEAK, s), precise);
  }

  private static double group(Pattern p, String s) {
    Matcher m = p.matcher(s);
    if (!m.find()) {
      throw new IllegalStateException(p + " not found in:\n" + s);
    }
    return m.group(1).equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(m.group(1));
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}

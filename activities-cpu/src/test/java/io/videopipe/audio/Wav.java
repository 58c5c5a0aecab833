package io.videopipe.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A parsed PCM WAV file for assertions: walks the RIFF chunks (so it also reads FFmpeg CLI output, which carries a LIST
 * chunk) and checks that the declared sizes match the file.
 *
 * @param riffSize the RIFF chunk size field
 * @param fileSize bytes on disk
 * @param format 1 for PCM
 * @param samples 16-bit samples, interleaved when there are several channels
 */
public record Wav(
    long riffSize, long fileSize, int format, int channels, int sampleRate, int bitsPerSample, short[] samples) {

  public static Wav read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    if (!"RIFF".equals(tag(b, 0)) || !"WAVE".equals(tag(b, 8))) {
      throw new IOException(file + " is not a RIFF/WAVE file");
    }
    long riffSize = Integer.toUnsignedLong(b.getInt(4));
    int format = -1;
    int channels = 0;
    int rate = 0;
    int bits = 0;
    int pos = 12;
    while (pos + 8 <= b.limit()) {
      String id = tag(b, pos);
      int size = b.getInt(pos + 4);
      if (id.equals("fmt ")) {
        format = Short.toUnsignedInt(b.getShort(pos + 8));
        channels = b.getShort(pos + 10);
        rate = b.getInt(pos + 12);
        bits = b.getShort(pos + 22);
      } else if (id.equals("data")) {
        if (pos + 8L + size > b.limit()) {
          throw new IOException("data chunk declares " + size + " bytes, file has " + (b.limit() - pos - 8));
        }
        short[] samples = new short[size / 2];
        b.position(pos + 8);
        b.asShortBuffer().get(samples);
        return new Wav(riffSize, b.limit(), format, channels, rate, bits, samples);
      }
      pos += 8 + size + (size & 1);
    }
    throw new IOException(file + " has no data chunk");
  }

  public double durationSec() {
    return samples.length / (double) channels / sampleRate;
  }

  /** Relative power of {@code hz} in the (mono) samples: Goertzel power normalised by the signal's total energy. */
  public double tonePower(double hz) {
    double coeff = 2 * Math.cos(2 * Math.PI * hz / sampleRate);
    double s1 = 0;
    double s2 = 0;
    double energy = 0;
    for (short x : samples) {
      double s0 = x + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
      energy += (double) x * x;
    }
    double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    return energy == 0 ? 0 : power / (energy * samples.length / 2.0);
  }

  /** Frequency estimated from zero crossings, good for a single clean tone. */
  public double zeroCrossingHz() {
    int crossings = 0;
    for (int i = 1; i < samples.length; i++) {
      if ((samples[i - 1] < 0) != (samples[i] < 0)) {
        crossings++;
      }
    }
    return crossings / 2.0 / durationSec();
  }

  public double rms() {
    double e = 0;
    for (short x : samples) {
      e += (double) x * x;
    }
    return samples.length == 0 ? 0 : Math.sqrt(e / samples.length);
  }

  private static String tag(ByteBuffer b, int pos) {
    byte[] t = new byte[4];
    b.get(pos, t);
    return new String(t, StandardCharsets.US_ASCII);
  }
}

package io.videopipe.parakeet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.UnsupportedAudioFileException;

/** Reads a 16 kHz mono 16-bit PCM WAV file into floats in [-1, 1). */
public final class Pcm16Wav {
  private Pcm16Wav() {}

  public static float[] read(Path wav) throws IOException, UnsupportedAudioFileException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() < 12 || !"RIFF".equals(tag(b, 0)) || !"WAVE".equals(tag(b, 8))) {
      throw new UnsupportedAudioFileException(wav.getFileName() + " is not a RIFF/WAVE file");
    }
    boolean format = false;
    int pos = 12;
    while (pos + 8 <= b.limit()) {
      String id = tag(b, pos);
      long size = Integer.toUnsignedLong(b.getInt(pos + 4));
      int body = pos + 8;
      if ("fmt ".equals(id)) {
        int fmt = Short.toUnsignedInt(b.getShort(body));
        if (fmt == 0xFFFE && size >= 26) {
          fmt = Short.toUnsignedInt(b.getShort(body + 24));
        }
        int channels = Short.toUnsignedInt(b.getShort(body + 2));
        int rate = b.getInt(body + 4);
        int bits = Short.toUnsignedInt(b.getShort(body + 14));
        if (fmt != 1 || channels != 1 || bits != 16 || rate != MelFrontend.SAMPLE_RATE) {
          throw new UnsupportedAudioFileException(
              String.format(
                  "%s must be 16 kHz 16-bit mono PCM, is format %d, %d Hz, %d channel(s), %d bits",
                  wav.getFileName(), fmt, rate, channels, bits));
        }
        format = true;
      } else if ("data".equals(id)) {
        if (!format) {
          throw new UnsupportedAudioFileException(wav.getFileName() + " has no fmt chunk before its data");
        }
        // Streamed WAVs (ffmpeg writing to a pipe) leave the size 0 or 0xFFFFFFFF: the data runs to the end.
        long available = b.limit() - body;
        int bytes = (int) (size == 0 || size > available ? available : size);
        float[] samples = new float[bytes / 2];
        for (int i = 0; i < samples.length; i++) {
          samples[i] = b.getShort(body + 2 * i) / 32768f;
        }
        return samples;
      }
      pos = (int) (body + size + (size & 1));
    }
    throw new UnsupportedAudioFileException(wav.getFileName() + " has no data chunk");
  }

  private static String tag(ByteBuffer b, int at) {
    byte[] t = new byte[4];
    b.get(at, t);
    return new String(t, StandardCharsets.US_ASCII);
  }
}

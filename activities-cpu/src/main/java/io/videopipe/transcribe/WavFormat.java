package io.videopipe.transcribe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Where the 16-bit mono PCM samples of a WAV file lie.
 *
 * @param sampleRate samples per second
 * @param dataOffset byte offset of the first sample
 * @param samples number of samples
 */
public record WavFormat(int sampleRate, long dataOffset, long samples) {
  private static final int WAVE_FORMAT_PCM = 1;
  private static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;

  public double durationSec() {
    return (double) samples / sampleRate;
  }

  /** Byte offset of a sample. */
  public long offsetOf(long sample) {
    return dataOffset + 2 * sample;
  }

  public static WavFormat read(Path wav) throws IOException, UnsupportedAudioFileException {
    try (FileChannel ch = FileChannel.open(wav, StandardOpenOption.READ)) {
      long fileSize = ch.size();
      ByteBuffer header = read(ch, 0, 12);
      String riff = tag(header, 0);
      if (!"RIFF".equals(riff) || !"WAVE".equals(tag(header, 8))) {
        throw new UnsupportedAudioFileException(wav.getFileName() + " is not a RIFF/WAVE file");
      }
      int sampleRate = -1;
      long pos = 12;
      while (pos + 8 <= fileSize) {
        ByteBuffer chunk = read(ch, pos, 8);
        String id = tag(chunk, 0);
        long size = Integer.toUnsignedLong(chunk.getInt(4));
        long body = pos + 8;
        if ("fmt ".equals(id)) {
          ByteBuffer fmt = read(ch, body, (int) Math.min(size, 40));
          int format = Short.toUnsignedInt(fmt.getShort(0));
          if (format == WAVE_FORMAT_EXTENSIBLE && size >= 26) {
            format = Short.toUnsignedInt(fmt.getShort(24));
          }
          int channels = Short.toUnsignedInt(fmt.getShort(2));
          int bits = Short.toUnsignedInt(fmt.getShort(14));
          if (format != WAVE_FORMAT_PCM || channels != 1 || bits != 16) {
            throw new UnsupportedAudioFileException(
                String.format(
                    "%s must be 16-bit mono PCM, is format %d, %d channel(s), %d bits",
                    wav.getFileName(), format, channels, bits));
          }
          sampleRate = fmt.getInt(4);
        } else if ("data".equals(id)) {
          if (sampleRate <= 0) {
            throw new UnsupportedAudioFileException(wav.getFileName() + " has no fmt chunk before its data");
          }
          // Streamed WAVs (ffmpeg writing to a pipe) leave the size 0 or 0xFFFFFFFF: the data runs to the end.
          long available = fileSize - body;
          long bytes = size == 0 || size > available ? available : size;
          return new WavFormat(sampleRate, body, bytes / 2);
        }
        pos = body + size + (size & 1);
      }
      throw new UnsupportedAudioFileException(wav.getFileName() + " has no data chunk");
    }
  }

  private static ByteBuffer read(FileChannel ch, long pos, int n)
      throws IOException, UnsupportedAudioFileException {
    ByteBuffer buf = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    while (buf.hasRemaining()) {
      if (ch.read(buf, pos + buf.position()) < 0) {
        throw new UnsupportedAudioFileException("truncated WAV header");
      }
    }
    return buf.flip();
  }

  private static String tag(ByteBuffer buf, int at) {
    byte[] b = new byte[4];
    buf.get(at, b);
    return new String(b, StandardCharsets.US_ASCII);
  }
}

package io.videopipe.refine;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.videopipe.transcribe.WavFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Cuts a stretch out of a 16-bit mono PCM WAV: a byte-range copy of the samples behind a new 44-byte header. */
final class WavSlice {
  private WavSlice() {}

  /** Writes the samples of {@code [startSec, endSec)} of {@code wav} to {@code out}; returns the seconds written. */
  static double write(Path wav, WavFormat format, double startSec, double endSec, Path out) throws IOException {
    long first = Math.max(0, Math.min(format.samples(), (long) Math.floor(startSec * format.sampleRate())));
    long last = Math.max(first, Math.min(format.samples(), (long) Math.ceil(endSec * format.sampleRate())));
    long bytes = 2 * (last - first);
    try (FileChannel in = FileChannel.open(wav, StandardOpenOption.READ);
        FileChannel to =
            FileChannel.open(
                out, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
      header.put("RIFF".getBytes(US_ASCII)).putInt((int) (36 + bytes))
          .put("WAVEfmt ".getBytes(US_ASCII)).putInt(16)
          .putShort((short) 1).putShort((short) 1).putInt(format.sampleRate()).putInt(format.sampleRate() * 2)
          .putShort((short) 2).putShort((short) 16)
          .put("data".getBytes(US_ASCII)).putInt((int) bytes)
          .flip();
      while (header.hasRemaining()) {
        to.write(header);
      }
      long pos = format.offsetOf(first);
      long done = 0;
      while (done < bytes) {
        long n = in.transferTo(pos + done, bytes - done, to);
        if (n <= 0) {
          throw new IOException("WAV ended at byte " + (pos + done) + " while slicing " + wav.getFileName());
        }
        done += n;
      }
    }
    return (double) (last - first) / format.sampleRate();
  }
}

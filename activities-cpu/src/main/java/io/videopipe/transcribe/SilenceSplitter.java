package io.videopipe.transcribe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits long audio into independent stretches at pauses, so stretches can be recognised in parallel and a cut never
 * falls inside a word: each cut lies in the middle of the quietest window near the target length.
 */
final class SilenceSplitter {
  /** A run of samples {@code [start, end)}. */
  record Stretch(long start, long end) {}

  private SilenceSplitter() {}

  /** Mean square of each frame of {@code frameSamples} samples (the last one may be shorter), read in one pass. */
  static float[] frameEnergies(Path wav, WavFormat format, int frameSamples) throws IOException, InterruptedException {
    int frames = (int) ((format.samples() + frameSamples - 1) / frameSamples);
    float[] energy = new float[frames];
    ByteBuffer buf = ByteBuffer.allocate(frameSamples * 2 * 400).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(wav, StandardOpenOption.READ)) {
      long end = format.offsetOf(format.samples());
      long pos = format.dataOffset();
      long sample = 0;
      double sum = 0;
      int inFrame = 0;
      while (pos < end) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
        int n = ch.read(buf, pos);
        if (n <= 0) {
          break;
        }
        pos += n;
        buf.flip();
        while (buf.remaining() >= 2) {
          double s = buf.getShort() / 32768.0;
          sum += s * s;
          sample++;
          if (++inFrame == frameSamples) {
            energy[(int) ((sample - 1) / frameSamples)] = (float) (sum / inFrame);
            sum = 0;
            inFrame = 0;
          }
        }
        // Keep an odd trailing byte for the next read.
        pos -= buf.remaining();
      }
      if (inFrame > 0) {
        energy[frames - 1] = (float) (sum / inFrame);
      }
    } catch (ClosedByInterruptException e) {
      throw (InterruptedException) new InterruptedException("interrupted reading " + wav).initCause(e);
    }
    return energy;
  }

  /**
   * Cuts {@code totalSamples} into stretches of about {@code targetFrames} frames, each between 2/3 and 4/3 of the
   * target, cutting at the middle of the {@code windowFrames}-frame window with the lowest energy; among equally quiet
   * windows, the one nearest the target wins.
   */
  static List<Stretch> split(float[] energy, int frameSamples, long totalSamples, int targetFrames, int windowFrames) {
    int minFrames = Math.max(windowFrames, targetFrames * 2 / 3);
    int maxFrames = Math.max(minFrames + windowFrames, targetFrames * 4 / 3);
    double[] prefix = new double[energy.length + 1];
    for (int i = 0; i < energy.length; i++) {
      prefix[i + 1] = prefix[i] + energy[i];
    }
    List<Stretch> stretches = new ArrayList<>();
    long startSample = 0;
    int pos = 0;
    while (energy.length - pos > maxFrames) {
      int target = pos + targetFrames;
      int bestCut = -1;
      double bestCost = Double.MAX_VALUE;
      for (int s = pos + minFrames - windowFrames / 2; s + windowFrames <= pos + maxFrames; s++) {
        int cut = s + windowFrames / 2;
        double mean = (prefix[s + windowFrames] - prefix[s]) / windowFrames;
        // Quietness first; nearness to the target breaks ties and near-ties (within a third of the energy).
        double distance = Math.abs(cut - target) / (double) targetFrames;
        double cost = mean * (1 + distance) + 1e-12 * distance;
        if (cost < bestCost) {
          bestCost = cost;
          bestCut = cut;
        }
      }
      long cutSample = Math.min(totalSamples, (long) bestCut * frameSamples);
      stretches.add(new Stretch(startSample, cutSample));
      startSample = cutSample;
      pos = bestCut;
    }
    if (startSample < totalSamples || stretches.isEmpty()) {
      stretches.add(new Stretch(startSample, totalSamples));
    }
    return stretches;
  }
}

package io.videopipe.parakeet;

/**
 * NeMo's log-mel frontend of Parakeet-TDT: preemphasis 0.97, centred 512-point STFT with a 400-sample Hann window and
 * a 160-sample hop, power spectrum, 128 slaney mel bins over 0..8000 Hz, {@code log(x + 2^-24)}, then per-feature
 * normalisation over the valid frames. One instance per thread: it owns its scratch buffers, so a frame allocates
 * nothing.
 */
public final class MelFrontend {
  public static final int SAMPLE_RATE = 16_000;
  public static final int N_FFT = 512;
  public static final int WIN_LENGTH = 400;
  public static final int HOP = 160;
  public static final int N_MELS = 128;
  static final double PREEMPHASIS = 0.97;
  static final double LOG_GUARD = 0x1p-24;
  static final double STD_GUARD = 1e-5;

  private static final int HALF = N_FFT / 2;
  private static final int BINS = HALF + 1;

  private final double[] window = new double[N_FFT];
  private final int[] melFirstBin = new int[N_MELS];
  private final double[][] melWeights = new double[N_MELS][];
  private final double[] frame = new double[N_FFT];
  private final double[] power = new double[BINS];
  private final RealFft fft = new RealFft(N_FFT);

  public MelFrontend() {
    // torch.hann_window(400, periodic=False), centred in 512 as torch.stft pads it.
    int offset = (N_FFT - WIN_LENGTH) / 2;
    for (int n = 0; n < WIN_LENGTH; n++) {
      window[offset + n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / (WIN_LENGTH - 1));
    }
    double[][] dense = slaneyMelFilterbank();
    for (int m = 0; m < N_MELS; m++) {
      int first = 0;
      while (first < BINS && dense[m][first] == 0) {
        first++;
      }
      int last = BINS - 1;
      while (last > first && dense[m][last] == 0) {
        last--;
      }
      melFirstBin[m] = first;
      melWeights[m] = java.util.Arrays.copyOfRange(dense[m], first, Math.max(first, last + 1));
    }
  }

  /** Frames the encoder reads for this many samples (NeMo drops the last centred frame). */
  public static int validFrames(int samples) {
    return samples / HOP;
  }

  /**
   * Computes the normalised features of {@code audio[from, from + length)} into {@code out}: feature {@code m} of
   * frame {@code f} goes to {@code out[offset + m * stride + f]}, so one call fills one item of a {@code [B, 128, T]}
   * batch with {@code stride = T}. Frames from the valid count up to {@code stride} are zeroed.
   *
   * @return the number of valid frames
   */
  public int compute(float[] audio, int from, int length, float[] out, int offset, int stride) {
    int frames = validFrames(length);
    if (frames > stride) {
      throw new IllegalArgumentException(frames + " frames do not fit a stride of " + stride);
    }
    for (int f = 0; f < frames; f++) {
      // Frame f of the centred STFT covers preemphasised samples f*HOP - N_FFT/2 .. f*HOP + N_FFT/2 - 1.
      int start = f * HOP - HALF;
      for (int i = 0; i < N_FFT; i++) {
        double w = window[i];
        frame[i] = w == 0 ? 0 : w * preemphasised(audio, from, length, start + i);
      }
      fft.powerSpectrum(frame, power);
      for (int m = 0; m < N_MELS; m++) {
        double[] weights = melWeights[m];
        int first = melFirstBin[m];
        double sum = 0;
        for (int k = 0; k < weights.length; k++) {
          sum += weights[k] * power[first + k];
        }
        out[offset + m * stride + f] = (float) Math.log(sum + LOG_GUARD);
      }
    }
    for (int m = 0; m < N_MELS; m++) {
      int row = offset + m * stride;
      normalise(out, row, frames);
      java.util.Arrays.fill(out, row + frames, row + stride, 0f);
    }
    return frames;
  }

  private static double preemphasised(float[] audio, int from, int length, int i) {
    if (i < 0 || i >= length) {
      return 0;
    }
    return i == 0 ? audio[from] : audio[from + i] - PREEMPHASIS * audio[from + i - 1];
  }

  /** (x - mean) / (std + 1e-5) with the unbiased (n - 1) variance, as NeMo's per_feature normalisation. */
  private static void normalise(float[] x, int from, int n) {
    if (n == 0) {
      return;
    }
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += x[from + i];
    }
    mean /= n;
    double ss = 0;
    for (int i = 0; i < n; i++) {
      double d = x[from + i] - mean;
      ss += d * d;
    }
    double std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    double scale = 1 / (std + STD_GUARD);
    for (int i = 0; i < n; i++) {
      x[from + i] = (float) ((x[from + i] - mean) * scale);
    }
  }

  /** librosa.filters.mel(sr=16000, n_fft=512, n_mels=128, fmin=0, fmax=8000, htk=False, norm='slaney'). */
  static double[][] slaneyMelFilterbank() {
    double[] fftFreqs = new double[BINS];
    for (int k = 0; k < BINS; k++) {
      fftFreqs[k] = (double) k * SAMPLE_RATE / N_FFT;
    }
    double minMel = hzToMel(0);
    double maxMel = hzToMel(SAMPLE_RATE / 2.0);
    double[] melF = new double[N_MELS + 2];
    for (int i = 0; i < melF.length; i++) {
      melF[i] = melToHz(minMel + (maxMel - minMel) * i / (N_MELS + 1));
    }
    double[][] weights = new double[N_MELS][BINS];
    for (int m = 0; m < N_MELS; m++) {
      double lowerWidth = melF[m + 1] - melF[m];
      double upperWidth = melF[m + 2] - melF[m + 1];
      double norm = 2.0 / (melF[m + 2] - melF[m]);
      for (int k = 0; k < BINS; k++) {
        double lower = (fftFreqs[k] - melF[m]) / lowerWidth;
        double upper = (melF[m + 2] - fftFreqs[k]) / upperWidth;
        weights[m][k] = Math.max(0, Math.min(lower, upper)) * norm;
      }
    }
    return weights;
  }

  private static final double F_SP = 200.0 / 3;
  private static final double MIN_LOG_HZ = 1000;
  private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
  private static final double LOG_STEP = Math.log(6.4) / 27;

  static double hzToMel(double hz) {
    return hz < MIN_LOG_HZ ? hz / F_SP : MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
  }

  static double melToHz(double mel) {
    return mel < MIN_LOG_MEL ? mel * F_SP : MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
  }
}

package io.videopipe.parakeet;

/**
 * Power spectrum of a real frame of length n (a power of two): an n/2-point complex radix-2 FFT of the even/odd packed
 * samples, then the split step that recovers the n/2 + 1 bins. Twiddles and scratch are allocated once.
 */
final class RealFft {
  private final int n;
  private final int half;
  private final int[] bitReverse;
  private final double[] cos;
  private final double[] sin;
  private final double[] splitCos;
  private final double[] splitSin;
  private final double[] re;
  private final double[] im;

  RealFft(int n) {
    if (n < 4 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("FFT size must be a power of two >= 4, is " + n);
    }
    this.n = n;
    this.half = n / 2;
    int bits = Integer.numberOfTrailingZeros(half);
    bitReverse = new int[half];
    for (int i = 0; i < half; i++) {
      bitReverse[i] = Integer.reverse(i) >>> (32 - bits);
    }
    cos = new double[half / 2];
    sin = new double[half / 2];
    for (int i = 0; i < half / 2; i++) {
      cos[i] = Math.cos(2 * Math.PI * i / half);
      sin[i] = Math.sin(2 * Math.PI * i / half);
    }
    splitCos = new double[half + 1];
    splitSin = new double[half + 1];
    for (int k = 0; k <= half; k++) {
      splitCos[k] = Math.cos(2 * Math.PI * k / n);
      splitSin[k] = Math.sin(2 * Math.PI * k / n);
    }
    re = new double[half];
    im = new double[half];
  }

  /** Writes |X[k]|^2 for k = 0..n/2 of the real input {@code x} (length n) into {@code power}. */
  void powerSpectrum(double[] x, double[] power) {
    for (int i = 0; i < half; i++) {
      int j = bitReverse[i];
      re[j] = x[2 * i];
      im[j] = x[2 * i + 1];
    }
    for (int size = 2; size <= half; size <<= 1) {
      int step = half / size;
      int h = size / 2;
      for (int start = 0; start < half; start += size) {
        for (int k = 0; k < h; k++) {
          double wr = cos[k * step];
          double wi = -sin[k * step];
          int a = start + k;
          int b = a + h;
          double tr = wr * re[b] - wi * im[b];
          double ti = wr * im[b] + wi * re[b];
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
        }
      }
    }
    // X[k] = E[k] + W^k O[k], E = (Z[k] + conj Z[M-k]) / 2, O = (Z[k] - conj Z[M-k]) / 2i, W = e^{-2 pi i / n}.
    for (int k = 0; k <= half; k++) {
      int a = k % half;
      int b = (half - k) % half;
      double zr = re[a];
      double zi = im[a];
      double cr = re[b];
      double ci = -im[b];
      double er = (zr + cr) / 2;
      double ei = (zi + ci) / 2;
      double or = (zi - ci) / 2;
      double oi = -(zr - cr) / 2;
      double wr = splitCos[k];
      double wi = -splitSin[k];
      double xr = er + wr * or - wi * oi;
      double xi = ei + wr * oi + wi * or;
      power[k] = xr * xr + xi * xi;
    }
  }

  int size() {
    return n;
  }
}

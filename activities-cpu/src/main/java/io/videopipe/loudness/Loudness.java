package io.videopipe.loudness;

import java.util.Arrays;

/**
 * EBU R128 loudness of one file, as FFmpeg's {@code ebur128} filter measures it.
 *
 * <p>Silence has no finite loudness: every loudness value is floored at {@link LoudnessMeter#FLOOR_LUFS} (-70 LUFS, the
 * R128 absolute gate) and the true peak at {@link LoudnessMeter#TRUE_PEAK_FLOOR_DBTP} (-120 dBTP), so a silent file
 * reads -70 LUFS / -120 dBTP instead of -inf.
 *
 * @param integratedLufs gated integrated loudness (I)
 * @param loudnessRangeLu loudness range (LRA), 0 when there is too little signal to measure one
 * @param truePeakDbtp highest true (oversampled to 192 kHz) peak over all channels; NaN where not measured
 *     ({@link LoudnessMeter#measureLoudnessOnly})
 * @param momentaryStepSec spacing of {@code momentaryLufs}: 0.1 s, the ebur128 block step
 * @param momentaryLufs momentary loudness (400 ms window); value {@code k} covers the window ending at
 *     {@code (k + 1) * momentaryStepSec}, so the first three values, whose windows start before 0, read the floor
 * @param durationSec decoded audio duration
 */
public record Loudness(
    double integratedLufs,
    double loudnessRangeLu,
    double truePeakDbtp,
    double momentaryStepSec,
    double[] momentaryLufs,
    double durationSec) {

  /** Length of the momentary window (EBU R128). */
  public static final double MOMENTARY_WINDOW_SEC = 0.4;

  public Loudness {
    if (!(momentaryStepSec > 0)) {
      throw new IllegalArgumentException("momentaryStepSec must be > 0, was " + momentaryStepSec);
    }
    momentaryLufs = momentaryLufs.clone();
  }

  @Override
  public double[] momentaryLufs() {
    return momentaryLufs.clone();
  }

  public int momentaryCount() {
    return momentaryLufs.length;
  }

  /**
   * Energy mean (the mean of 10^(L/10), back in LUFS) of the momentary values whose whole 400 ms window lies in
   * {@code [fromSec, toSec]}; for a span shorter than one window, the value nearest the span's end. NaN when there
   * are no momentary values.
   */
  public double meanMomentaryLufs(double fromSec, double toSec) {
    int[] range = windowRange(fromSec, toSec);
    if (range == null) {
      return Double.NaN;
    }
    double energy = 0;
    for (int k = range[0]; k <= range[1]; k++) {
      energy += Math.pow(10, momentaryLufs[k] / 10);
    }
    return Math.max(LoudnessMeter.FLOOR_LUFS, 10 * Math.log10(energy / (range[1] - range[0] + 1)));
  }

  /** Median of the momentary values whose window lies in {@code [fromSec, toSec]} (same selection as the mean). */
  public double medianMomentaryLufs(double fromSec, double toSec) {
    int[] range = windowRange(fromSec, toSec);
    if (range == null) {
      return Double.NaN;
    }
    double[] values = Arrays.copyOfRange(momentaryLufs, range[0], range[1] + 1);
    Arrays.sort(values);
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  /** Inclusive index range of the momentary values inside the span, or null when there are none at all. */
  private int[] windowRange(double fromSec, double toSec) {
    int n = momentaryLufs.length;
    if (n == 0) {
      return null;
    }
    // value k covers [(k + 1) * step - 0.4, (k + 1) * step]; a small epsilon absorbs float noise on the grid
    double eps = 1e-9;
    int first = (int) Math.ceil((fromSec + MOMENTARY_WINDOW_SEC) / momentaryStepSec - 1 - eps);
    int last = (int) Math.floor(toSec / momentaryStepSec - 1 + eps);
    first = Math.max(first, 0);
    last = Math.min(last, n - 1);
    if (first > last) {
      int nearest = (int) Math.round(toSec / momentaryStepSec - 1);
      nearest = Math.max(0, Math.min(n - 1, nearest));
      return new int[] {nearest, nearest};
    }
    return new int[] {first, last};
  }
}

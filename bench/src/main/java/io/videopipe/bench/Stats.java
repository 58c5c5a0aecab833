package io.videopipe.bench;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics of small samples (a handful of runs, a few dozen jobs). */
final class Stats {
  private Stats() {}

  static double median(Collection<Double> values) {
    return percentile(values, 50);
  }

  /** Linear interpolation between closest ranks (the common "type 7" definition); NaN for no values. */
  static double percentile(Collection<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    double rank = p / 100.0 * (v.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = (int) Math.ceil(rank);
    return v[lo] + (v[hi] - v[lo]) * (rank - lo);
  }
}

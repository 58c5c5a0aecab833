package io.videopipe.refine;

/**
 * Which stretches of a HYBRID transcript the refiner re-transcribes; built from {@code videopipe.engines.hybrid.*}
 * (their defaults are there).
 *
 * @param confidenceThreshold words below this confidence (0..1) are re-transcribed
 * @param paddingSec audio kept on each side of a low-confidence word, so the refiner hears its context; neighbouring
 *     words closer than twice this share one window
 * @param minWindowSec shortest window sent to the refiner (shorter ones are widened around their centre)
 */
public record RefineSettings(double confidenceThreshold, double paddingSec, double minWindowSec) {
  public RefineSettings {
    if (!(confidenceThreshold >= 0 && confidenceThreshold <= 1)) {
      throw new IllegalArgumentException("confidenceThreshold must be 0..1, was " + confidenceThreshold);
    }
    if (!(paddingSec >= 0) || !(minWindowSec >= 0) || Double.isInfinite(paddingSec) || Double.isInfinite(minWindowSec)) {
      throw new IllegalArgumentException("paddingSec and minWindowSec must be finite and >= 0");
    }
  }
}

package io.videopipe.pipeline;

import io.videopipe.refine.RefineActivities;
import io.videopipe.transcribe.TranscriptionOutcome;

/**
 * What a HYBRID refinement did, read once from the outcome's engine metadata (where {@link RefineActivities} reports
 * it, so the activity contract stays as running jobs know it).
 *
 * @param windows low-confidence windows re-transcribed; 0 means the primary engine's words all stand
 * @param refinedSec seconds of audio sent to the refiner (what it bills), or null when not reported
 */
record RefineOutcome(TranscriptionOutcome transcript, int windows, Double refinedSec) {

  static RefineOutcome of(TranscriptionOutcome refined) {
    String windows = refined.engineMetadata().get(RefineActivities.REFINED_WINDOWS);
    String sent = refined.engineMetadata().get(RefineActivities.REFINED_SEC);
    // An outcome without a count is treated as refined, as before the count existed.
    return new RefineOutcome(
        refined, windows == null ? -1 : Integer.parseInt(windows), sent == null ? null : Double.valueOf(sent));
  }

  /** Whether the transcript now holds the refiner's words in some stretch. */
  boolean changedWords() {
    return windows != 0;
  }
}

package io.videopipe.refine;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.videopipe.transcribe.TranscriptionOutcome;

/** The second pass of a HYBRID job, on the CPU queue of a worker that has the refiner engine. */
@ActivityInterface
public interface RefineActivities {
  /** Key in the outcome's {@code engineMetadata}: how many windows were re-transcribed. */
  String REFINED_WINDOWS = "refined_windows";
  /** Key in the outcome's {@code engineMetadata}: seconds of audio sent to the refiner (what it bills). */
  String REFINED_SEC = "refined_sec";

  /**
   * Re-transcribes the stretches of the transcript whose words fall below the worker's confidence threshold (merged into
   * padded windows) with the refiner engine, replaces the words inside each window with the refiner's, and rewrites the
   * job's transcript artifacts. The transcript is rewritten only once every window is transcribed, so a failed attempt
   * leaves the primary engine's transcript in place. Heartbeats per window. The outcome's {@code engineMetadata} counts
   * the windows ({@code refined_windows}) and the seconds sent to the refiner ({@code refined_sec}).
   */
  @ActivityMethod(name = "RefineLowConfidence")
  TranscriptionOutcome refineLowConfidence(RefineRequest request);
}

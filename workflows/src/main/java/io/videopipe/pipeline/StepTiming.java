package io.videopipe.pipeline;

/**
 * One attempt-inclusive run of a step as the workflow saw it.
 *
 * @param step the step
 * @param queue task queue it ran on
 * @param wallSec scheduled-to-closed time measured by the workflow (deterministic clock)
 * @param computeSec time the activity itself reported working, if it reports it, else 0
 * @param engine transcription engine for TRANSCRIBE attempts, else null
 * @param succeeded false for a failed attempt chain that fell back or failed the job
 * @param audioSec seconds of audio the engine was sent (billed per audio minute): the whole audio for TRANSCRIBE, the
 *     low-confidence stretches for REFINE; null for steps that send none, or when it is the job's whole audio
 */
public record StepTiming(
    Step step, String queue, double wallSec, double computeSec, String engine, boolean succeeded, Double audioSec) {

  /** A step run over the job's whole audio. */
  public StepTiming(Step step, String queue, double wallSec, double computeSec, String engine, boolean succeeded) {
    this(step, queue, wallSec, computeSec, engine, succeeded, null);
  }
}

package io.videopipe.cost;

import io.videopipe.pipeline.StepTiming;
import io.videopipe.route.EngineOption;
import java.util.List;

/**
 * @param steps every step attempt the workflow timed
 * @param audioSec seconds of audio (Deepgram bills per audio minute)
 * @param storedBytes bytes the job keeps in storage
 * @param engines every engine with its speed estimate (the route facts), to price what the same video would have cost
 *     on each; empty when unknown
 */
public record CostRequest(
    String jobId, List<StepTiming> steps, double audioSec, long storedBytes, List<EngineOption> engines) {

  public CostRequest {
    steps = steps == null ? List.of() : List.copyOf(steps);
    engines = engines == null ? List.of() : List.copyOf(engines);
  }
}

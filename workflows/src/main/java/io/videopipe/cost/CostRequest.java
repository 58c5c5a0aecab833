package io.videopipe.cost;

import io.videopipe.pipeline.StepTiming;
import java.util.List;

/**
 * @param steps every step attempt the workflow timed
 * @param audioSec seconds of audio (Deepgram bills per audio minute)
 * @param storedBytes bytes the job keeps in storage
 */
public record CostRequest(String jobId, List<StepTiming> steps, double audioSec, long storedBytes) {}

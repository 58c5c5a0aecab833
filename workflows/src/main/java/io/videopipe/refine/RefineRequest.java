package io.videopipe.refine;

import io.videopipe.route.Engine;

/**
 * Input of {@link RefineActivities#refineLowConfidence(RefineRequest)}.
 *
 * @param jobId the job whose transcript is refined in place (under {@code jobs/<jobId>/transcript/})
 * @param audioUri the job's 16 kHz mono s16le WAV
 * @param transcriptUri the primary engine's transcript.json
 * @param refiner engine that re-transcribes the low-confidence stretches (DEEPGRAM)
 * @param language BCP-47 language of the speech
 */
public record RefineRequest(String jobId, String audioUri, String transcriptUri, Engine refiner, String language) {}

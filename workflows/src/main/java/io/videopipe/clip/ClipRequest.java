package io.videopipe.clip;

import io.videopipe.highlight.Highlight;

/**
 * One clip to render.
 *
 * @param sourceUri the job's stored copy of the source video
 * @param transcriptUri the job's transcript, for the clip's captions
 * @param highlight the stretch to cut; the clip is named after its rank
 * @param attempt 1 for the first render, 2 for the re-render QA asks for after a failed check
 */
public record ClipRequest(
    String jobId, String sourceUri, String transcriptUri, Highlight highlight, ClipOptions options, int attempt) {}

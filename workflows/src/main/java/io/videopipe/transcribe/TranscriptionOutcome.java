package io.videopipe.transcribe;

import io.videopipe.route.Engine;
import java.util.Map;

/**
 * @param transcriptUri the JSON transcript (words with times)
 * @param artifacts format (json, srt, vtt, txt) to storage URI
 * @param words recognised word count
 * @param audioSec seconds of audio transcribed
 * @param textPreview the first {@link io.videopipe.pipeline.TranscriptionSummary#PREVIEW_CHARS} characters of the text
 * @param computeSec time the engine worked
 */
public record TranscriptionOutcome(
    Engine engine,
    String transcriptUri,
    Map<String, String> artifacts,
    int words,
    double audioSec,
    double meanConfidence,
    String textPreview,
    double computeSec) {}

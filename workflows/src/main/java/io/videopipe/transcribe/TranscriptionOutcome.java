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
 * @param engineMetadata what the engine reported for billing and support, e.g. Deepgram's {@code request_id} and
 *     {@code duration}; empty for offline engines
 */
public record TranscriptionOutcome(
    Engine engine,
    String transcriptUri,
    Map<String, String> artifacts,
    int words,
    double audioSec,
    double meanConfidence,
    String textPreview,
    double computeSec,
    Map<String, String> engineMetadata) {
  public TranscriptionOutcome {
    engineMetadata = engineMetadata == null ? Map.of() : Map.copyOf(engineMetadata);
  }
}

package io.videopipe.pipeline;

import java.util.List;
import java.util.Map;

/**
 * @param engine engine whose transcript was kept; "parakeet+deepgram" for a HYBRID transcript whose low-confidence
 *     stretches the refiner re-transcribed
 * @param fallbacks engines tried before it that failed, in order, each "engine: reason"; a HYBRID refinement that
 *     failed is listed as "deepgram refinement: reason" and the primary engine's transcript is kept
 * @param plan the route plan's one-line reason
 * @param words recognised word count
 * @param text transcript text, cut to {@link #PREVIEW_CHARS} (the full text is the txt artifact)
 * @param artifacts format (json, srt, vtt, txt) to storage URI
 */
public record TranscriptionSummary(
    String engine,
    List<String> fallbacks,
    String plan,
    int words,
    double meanConfidence,
    String text,
    Map<String, String> artifacts) {
  public static final int PREVIEW_CHARS = 2000;
}

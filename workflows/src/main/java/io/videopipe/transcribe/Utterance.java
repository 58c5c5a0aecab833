package io.videopipe.transcribe;

/**
 * A stretch of speech by one speaker as the engine segmented it, in seconds of the source timeline.
 *
 * @param speaker diarised speaker index, null when the engine does not diarise
 */
public record Utterance(double start, double end, double confidence, Integer speaker, String text) {}

package io.videopipe.transcribe;

/**
 * One recognised word with its start and end in seconds of the source timeline and a 0..1 confidence.
 *
 * @param speaker diarised speaker index, null when the engine does not diarise
 */
public record Word(String text, double start, double end, double confidence, Integer speaker) {
  public Word(String text, double start, double end, double confidence) {
    this(text, start, end, confidence, null);
  }
}

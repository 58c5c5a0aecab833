package io.videopipe.transcribe;

import java.util.List;
import java.util.stream.Collectors;

/** The engine-independent transcript every engine produces and every later step reads. */
public record Transcript(String engine, String language, double durationSec, List<Word> words) {
  public Transcript {
    words = List.copyOf(words);
  }

  public String text() {
    return words.stream().map(Word::text).collect(Collectors.joining(" "));
  }

  public double meanConfidence() {
    return words.stream().mapToDouble(Word::confidence).average().orElse(0);
  }
}

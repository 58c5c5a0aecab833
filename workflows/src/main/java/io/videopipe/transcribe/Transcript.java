package io.videopipe.transcribe;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The engine-independent transcript every engine produces and every later step reads.
 *
 * @param utterances the engine's own segmentation into utterances, empty when it has none
 * @param metadata what the engine reported about the request, e.g. Deepgram's {@code request_id} and billed {@code
 *     duration}; empty for offline engines
 */
public record Transcript(
    String engine,
    String language,
    double durationSec,
    List<Word> words,
    List<Utterance> utterances,
    Map<String, String> metadata) {
  public Transcript {
    words = List.copyOf(words);
    utterances = utterances == null ? List.of() : List.copyOf(utterances);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  public Transcript(String engine, String language, double durationSec, List<Word> words) {
    this(engine, language, durationSec, words, List.of(), Map.of());
  }

  public String text() {
    return words.stream().map(Word::text).collect(Collectors.joining(" "));
  }

  public double meanConfidence() {
    return words.stream().mapToDouble(Word::confidence).average().orElse(0);
  }
}

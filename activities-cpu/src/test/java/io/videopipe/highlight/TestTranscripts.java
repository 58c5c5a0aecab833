package io.videopipe.highlight;

import io.videopipe.transcribe.Word;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds synthetic word-timed transcripts: each word lasts {@code wordSec}, words of a sentence are {@code gapSec}
 * apart, sentences {@code pauseSec} apart. Default timing is 0.3 s words, 0.1 s gaps and 0.8 s pauses, so a
 * 10-word sentence lasts 3.9 s.
 */
public final class TestTranscripts {
  private final List<Word> words = new ArrayList<>();
  private double t;
  private double wordSec = 0.3;
  private double gapSec = 0.1;
  private double pauseSec = 0.8;
  private double confidence = 0.9;

  public TestTranscripts(double startSec) {
    this.t = startSec;
  }

  public TestTranscripts timing(double wordSec, double gapSec, double pauseSec) {
    this.wordSec = wordSec;
    this.gapSec = gapSec;
    this.pauseSec = pauseSec;
    return this;
  }

  public TestTranscripts confidence(double confidence) {
    this.confidence = confidence;
    return this;
  }

  /** Appends one sentence (space-separated words) followed by a pause. */
  public TestTranscripts sentence(String text) {
    String[] tokens = text.trim().split("\\s+");
    for (int i = 0; i < tokens.length; i++) {
      words.add(new Word(tokens[i], t, t + wordSec, confidence));
      t += wordSec + (i < tokens.length - 1 ? gapSec : 0);
    }
    t += pauseSec;
    return this;
  }

  public TestTranscripts sentences(int count, String text) {
    for (int i = 0; i < count; i++) {
      sentence(text);
    }
    return this;
  }

  public TestTranscripts silence(double seconds) {
    t += seconds;
    return this;
  }

  /** Where the next word would start. */
  public double now() {
    return t;
  }

  public List<Word> words() {
    return List.copyOf(words);
  }
}

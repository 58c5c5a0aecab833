package io.videopipe.refine;

import io.videopipe.transcribe.Word;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a transcript needs a second opinion, and how the second opinion replaces the first. Pure functions on the
 * source timeline (seconds).
 */
public final class LowConfidenceWindows {

  /** A stretch of the source audio, start inclusive, end exclusive. */
  public record Window(double start, double end) {
    public double durationSec() {
      return end - start;
    }

    boolean contains(double t) {
      return t >= start && t < end;
    }
  }

  /** What the refiner heard in one window, with times relative to the window's start (the slice's own timeline). */
  public record Replacement(Window window, List<Word> sliceWords) {
    public Replacement {
      sliceWords = List.copyOf(sliceWords);
    }
  }

  private LowConfidenceWindows() {}

  /**
   * The windows to re-transcribe: every word below the threshold padded on both sides, overlapping ones merged, short
   * ones widened to the minimum around their centre, edges moved out to whole words, all within {@code [0,
   * durationSec]}. Sorted and disjoint; empty when every word is confident enough.
   *
   * @param durationSec length of the audio; the last word's end when not positive
   */
  public static List<Window> find(List<Word> words, double durationSec, RefineSettings settings) {
    double end = durationSec > 0 ? durationSec : words.stream().mapToDouble(Word::end).max().orElse(0);
    List<Window> padded = new ArrayList<>();
    for (Word w : words) {
      if (w.confidence() < settings.confidenceThreshold()) {
        padded.add(clamp(w.start() - settings.paddingSec(), w.end() + settings.paddingSec(), end));
      }
    }
    List<Window> widened = new ArrayList<>();
    for (Window w : union(padded)) {
      if (w.durationSec() < settings.minWindowSec()) {
        double centre = (w.start() + w.end()) / 2;
        double from = Math.max(0, Math.min(centre - settings.minWindowSec() / 2, end - settings.minWindowSec()));
        w = clamp(from, from + settings.minWindowSec(), end);
      }
      widened.add(wholeWords(w, words));
    }
    return union(widened);
  }

  /**
   * The transcript with each window's words replaced: the primary words whose midpoint lies in a window are dropped,
   * and the refiner's words, moved to the source timeline, are put in their place. Sorted by start.
   */
  public static List<Word> merge(List<Word> primary, List<Replacement> replacements) {
    List<Word> merged = new ArrayList<>();
    for (Word w : primary) {
      double mid = (w.start() + w.end()) / 2;
      if (replacements.stream().noneMatch(r -> r.window().contains(mid))) {
        merged.add(w);
      }
    }
    for (Replacement r : replacements) {
      double offset = r.window().start();
      for (Word w : r.sliceWords()) {
        Word moved = new Word(w.text(), w.start() + offset, w.end() + offset, w.confidence(), w.speaker());
        if (r.window().contains((moved.start() + moved.end()) / 2)) {
          merged.add(moved);
        }
      }
    }
    merged.sort(Comparator.comparingDouble(Word::start));
    return List.copyOf(merged);
  }

  private static Window clamp(double start, double end, double limit) {
    return new Window(Math.max(0, start), Math.min(limit, end));
  }

  /** Moves the edges out so no word is cut: a word the edge falls inside lies wholly in the window. */
  private static Window wholeWords(Window w, List<Word> words) {
    double start = w.start();
    double end = w.end();
    for (Word word : words) {
      if (word.start() < start && start < word.end()) {
        start = word.start();
      }
      if (word.start() < end && end < word.end()) {
        end = word.end();
      }
    }
    return new Window(start, end);
  }

  /** Sorted, overlapping or touching windows merged. */
  private static List<Window> union(List<Window> windows) {
    List<Window> sorted = new ArrayList<>(windows);
    sorted.removeIf(w -> w.durationSec() <= 0);
    sorted.sort(Comparator.comparingDouble(Window::start));
    List<Window> out = new ArrayList<>();
    for (Window w : sorted) {
      if (!out.isEmpty() && w.start() <= out.get(out.size() - 1).end()) {
        Window last = out.remove(out.size() - 1);
        out.add(new Window(last.start(), Math.max(last.end(), w.end())));
      } else {
        out.add(w);
      }
    }
    return out;
  }
}

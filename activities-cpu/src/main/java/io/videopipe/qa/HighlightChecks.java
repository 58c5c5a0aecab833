package io.videopipe.qa;

import static io.videopipe.qa.QaText.EPS;
import static io.videopipe.qa.QaText.fmt;

import io.videopipe.highlight.Highlight;
import io.videopipe.highlight.HighlightOptions;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.Word;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** The highlight checks ({@code highlight.*}, see {@link QaActivitiesImpl}): pure, on the highlights and the words. */
final class HighlightChecks {
  private HighlightChecks() {}

  static List<QaCheck> of(List<Highlight> highlights, HighlightOptions options, Transcript transcript,
      String transcriptProblem) {
    List<QaCheck> checks = new ArrayList<>();
    List<Word> words = transcript == null ? List.of() : transcript.words();
    double speechSec = words.isEmpty() ? 0 : words.get(words.size() - 1).end() - words.get(0).start();

    checks.add(
        new QaCheck(
            "highlight.available",
            !highlights.isEmpty(),
            fmt("%d highlights (speech spans %.1f s)", highlights.size(), speechSec),
            fmt(">= 1 highlight; needs a run of sentences lasting at least %.1f s", options.minSec())));
    checks.add(
        new QaCheck(
            "highlight.count",
            highlights.size() <= options.maxCount(),
            fmt("%d highlights", highlights.size()),
            fmt("<= %d", options.maxCount())));
    checks.add(durationCheck(highlights, options));
    checks.add(overlapCheck(highlights));
    checks.addAll(wordChecks(highlights, transcript, transcriptProblem));

    return checks;
  }

  private static QaCheck durationCheck(List<Highlight> highlights, HighlightOptions options) {
    List<String> bad =
        highlights.stream()
            .filter(h -> h.durationSec() < options.minSec() - EPS || h.durationSec() > options.maxSec() + EPS)
            .map(h -> fmt("#%d %.2f s", h.rank(), h.durationSec()))
            .toList();
    String measured =
        highlights.isEmpty()
            ? "no highlights"
            : bad.isEmpty()
                ? fmt(
                    "%.2f-%.2f s",
                    highlights.stream().mapToDouble(Highlight::durationSec).min().orElse(0),
                    highlights.stream().mapToDouble(Highlight::durationSec).max().orElse(0))
                : "out of bounds: " + String.join(", ", bad);
    return new QaCheck(
        "highlight.duration", bad.isEmpty(), measured, fmt("each %.1f-%.1f s", options.minSec(), options.maxSec()));
  }

  private static QaCheck overlapCheck(List<Highlight> highlights) {
    List<Highlight> byStart = highlights.stream().sorted(Comparator.comparingDouble(Highlight::startSec)).toList();
    List<String> overlaps = new ArrayList<>();
    for (int i = 1; i < byStart.size(); i++) {
      Highlight prev = byStart.get(i - 1);
      Highlight next = byStart.get(i);
      if (next.startSec() < prev.endSec() - EPS) {
        overlaps.add(fmt("#%d and #%d share %.2f s", prev.rank(), next.rank(), prev.endSec() - next.startSec()));
      }
    }
    return new QaCheck(
        "highlight.overlap",
        overlaps.isEmpty(),
        overlaps.isEmpty() ? fmt("%d highlights, none overlap", highlights.size()) : String.join("; ", overlaps),
        "no overlap");
  }

  /** highlight.boundaries and highlight.text: both look at the words each highlight covers. */
  private static List<QaCheck> wordChecks(List<Highlight> highlights, Transcript transcript, String transcriptProblem) {
    if (transcript == null) {
      return List.of(
          new QaCheck("highlight.boundaries", highlights.isEmpty(), transcriptProblem, "whole words only"),
          new QaCheck("highlight.text", highlights.isEmpty(), transcriptProblem, "the words inside each highlight"));
    }
    List<Word> words = transcript.words();
    List<String> cuts = new ArrayList<>();
    List<String> wrongText = new ArrayList<>();
    for (Highlight h : highlights) {
      List<Word> inside = new ArrayList<>();
      for (Word w : words) {
        boolean overlaps = w.start() < h.endSec() - EPS && w.end() > h.startSec() + EPS;
        boolean contained = w.start() >= h.startSec() - EPS && w.end() <= h.endSec() + EPS;
        if (contained) {
          inside.add(w);
        } else if (overlaps) {
          cuts.add(fmt("#%d cuts '%s' (%.2f-%.2f s)", h.rank(), w.text(), w.start(), w.end()));
        }
      }
      if (inside.isEmpty()) {
        cuts.add(fmt("#%d holds no word", h.rank()));
      }
      String expected = inside.stream().map(w -> w.text().strip()).collect(Collectors.joining(" "));
      if (!expected.equals(h.text() == null ? "" : h.text().strip())) {
        wrongText.add(fmt("#%d", h.rank()));
      }
    }
    return List.of(
        new QaCheck(
            "highlight.boundaries",
            cuts.isEmpty(),
            cuts.isEmpty() ? fmt("%d highlights, no word cut", highlights.size()) : String.join("; ", cuts),
            "each starts before its first word, ends after its last and cuts no word"),
        new QaCheck(
            "highlight.text",
            wrongText.isEmpty(),
            wrongText.isEmpty()
                ? fmt("%d highlights match their words", highlights.size())
                : "text differs from the words inside: " + String.join(", ", wrongText),
            "each text is exactly the words inside it"));
  }

}

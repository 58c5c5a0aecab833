package io.videopipe.qa;

import java.util.List;

public record QaReport(boolean passed, List<QaCheck> checks, String reportUri, double computeSec) {

  /** Ranks of the clips with at least one failed check, ascending: the ones a re-render may mend. */
  public List<Integer> failedClips() {
    return checks.stream().filter(c -> !c.passed() && c.clip() != null).map(QaCheck::clip).distinct().sorted()
        .toList();
  }
}

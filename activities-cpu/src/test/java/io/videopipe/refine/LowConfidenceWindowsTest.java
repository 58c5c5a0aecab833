package io.videopipe.refine;

import static org.assertj.core.api.Assertions.assertThat;

import io.videopipe.refine.LowConfidenceWindows.Replacement;
import io.videopipe.refine.LowConfidenceWindows.Window;
import io.videopipe.transcribe.Word;
import java.util.List;
import org.junit.jupiter.api.Test;

class LowConfidenceWindowsTest {
  private static final RefineSettings DEFAULTS = new RefineSettings(0.6, 0.5, 1.0);

  @Test
  void confidentTranscriptNeedsNoWindow() {
    List<Word> words = List.of(new Word("all", 0.5, 0.75, 0.9), new Word("clear", 0.75, 1.0, 0.61));
    assertThat(LowConfidenceWindows.find(words, 10, DEFAULTS)).isEmpty();
  }

  @Test
  void neighbouringLowWordsShareOnePaddedWindowAndDistantOnesDoNot() {
    List<Word> words =
        List.of(
            new Word("uh", 1.0, 1.25, 0.3),
            new Word("ok", 1.5, 1.75, 0.5),
            new Word("fine", 3.0, 3.25, 0.95),
            new Word("hm", 6.0, 6.25, 0.2));

    assertThat(LowConfidenceWindows.find(words, 10, DEFAULTS))
        .containsExactly(new Window(0.5, 2.25), new Window(5.5, 6.75));
  }

  @Test
  void shortWindowsAreWidenedToTheMinimumAndNeverCutAWord() {
    RefineSettings noPadding = new RefineSettings(0.6, 0, 1.0);
    List<Word> words =
        List.of(new Word("before", 2.5, 3.0, 0.9), new Word("low", 3.0, 3.5, 0.1), new Word("after", 3.5, 4.0, 0.9));

    // [3.0, 3.5] widened around 3.25 to [2.75, 3.75], then out to the whole words it cut.
    assertThat(LowConfidenceWindows.find(words, 10, noPadding)).containsExactly(new Window(2.5, 4.0));
  }

  @Test
  void windowsStayWithinTheAudio() {
    List<Word> words = List.of(new Word("first", 0.125, 0.25, 0.1), new Word("last", 9.75, 10.0, 0.1));

    assertThat(LowConfidenceWindows.find(words, 10, DEFAULTS))
        .containsExactly(new Window(0, 1.0), new Window(9.0, 10.0));
  }

  @Test
  void refinedWordsReplaceTheWordsInsideTheirWindowOnTheSourceTimeline() {
    List<Word> primary =
        List.of(
            new Word("welcome", 0.5, 0.75, 0.95),
            new Word("garbled", 4.0, 4.5, 0.3),
            new Word("the", 5.0, 5.25, 0.9),
            new Word("pipeline", 8.0, 8.5, 0.92));
    Window window = new Window(3.5, 5.0);
    List<Word> heard =
        List.of(new Word("clearly", 0.5, 1.0, 0.97, 0), new Word("beyond", 1.5, 2.0, 0.97, 0));

    List<Word> merged = LowConfidenceWindows.merge(primary, List.of(new Replacement(window, heard)));

    assertThat(merged)
        .containsExactly(
            new Word("welcome", 0.5, 0.75, 0.95),
            new Word("clearly", 4.0, 4.5, 0.97, 0),
            new Word("the", 5.0, 5.25, 0.9),
            new Word("pipeline", 8.0, 8.5, 0.92));
  }
}

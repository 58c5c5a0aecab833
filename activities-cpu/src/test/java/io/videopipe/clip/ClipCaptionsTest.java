package io.videopipe.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.videopipe.transcribe.Captions;
import io.videopipe.transcribe.Word;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipCaptionsTest {

  /** "word0".."wordN": 0.3 s each, one every 0.4 s from 0. */
  static List<Word> words(int n) {
    List<Word> words = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      words.add(new Word("word" + i, i * 0.4, i * 0.4 + 0.3, 0.9));
    }
    return words;
  }

  @Test
  void cuesAreTimedToTheClipAndStayInsideIt() {
    // the clip 10.1-20.05 s: word25 (10.0-10.3) is mostly inside, word50 (20.0-20.3) mostly outside
    List<Captions.Cue> cues = ClipCaptions.cues(words(80), 10.1, 20.05);

    assertThat(cues.get(0).text()).startsWith("word25 ");
    assertThat(cues.get(0).start()).isEqualTo(0.0);
    assertThat(cues.get(cues.size() - 1).text()).endsWith("word49");
    assertThat(cues.get(cues.size() - 1).end()).isCloseTo(19.9 - 10.1, org.assertj.core.api.Assertions.within(1e-9));
    for (Captions.Cue c : cues) {
      assertThat(c.start()).isBetween(0.0, 9.95);
      assertThat(c.end()).isBetween(c.start(), 9.95);
      assertThat(c.end() - c.start()).isLessThanOrEqualTo(ClipCaptions.MAX_CUE_SEC);
      String[] lines = c.text().split("\n");
      assertThat(lines.length).isBetween(1, 2);
      assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(ClipCaptions.LINE_CHARS));
    }
    assertThat(String.join(" ", cues.stream().map(c -> c.text().replace('\n', ' ')).toList()).split(" "))
        .hasSize(25);
  }

  @Test
  void cueEndingPastTheClipIsClamped() {
    List<Captions.Cue> cues = ClipCaptions.cues(List.of(new Word("late", 4.6, 5.2, 1)), 0, 5.0);
    assertThat(cues).containsExactly(new Captions.Cue(4.6, 5.0, "late"));
  }

  @Test
  void srtAndVttRoundTripThroughTheParser() {
    List<Captions.Cue> cues = ClipCaptions.cues(words(30), 0, 12);
    List<Captions.Cue> srt = ClipCaptions.parse(Captions.srt(cues), false);
    List<Captions.Cue> vtt = ClipCaptions.parse(Captions.vtt(cues), true);
    assertThat(srt).hasSameSizeAs(cues).isEqualTo(vtt);
    assertThat(srt.get(1).start()).isEqualTo(Math.floor(cues.get(1).start() * 1000) / 1000);
    assertThat(Captions.srt(cues)).startsWith("1\n00:00:00,000 --> 00:00:");
    assertThat(Captions.vtt(cues)).startsWith("WEBVTT\n\n00:00:00.000 --> ");
    assertThatThrownBy(() -> ClipCaptions.parse("1\n00:00:01,000 --> 00:00:02,000\n", false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClipCaptions.parse("00:00:01.000 --> 00:00:02.000\nhi\n", true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

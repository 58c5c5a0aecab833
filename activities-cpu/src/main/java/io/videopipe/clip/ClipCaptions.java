package io.videopipe.clip;

import io.videopipe.transcribe.Captions;
import io.videopipe.transcribe.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Captions of one clip: the transcript's words inside the clip, timed relative to the clip's start, grouped into cues
 * of at most two lines of {@value #LINE_CHARS} characters and {@value #MAX_CUE_SEC} s, none past the clip's end.
 */
public final class ClipCaptions {
  static final int LINE_CHARS = 42;
  static final double MAX_CUE_SEC = 6.0;
  /** A pause this long starts a new cue, so a caption does not linger over silence. */
  static final double PAUSE_SEC = 1.0;

  /** A cue, in seconds from the clip's start; {@code text} holds one or two lines. */

  private ClipCaptions() {}

  /** Cues for the words that lie (mostly) inside {@code [startSec, endSec]} of the source. */
  public static List<Captions.Cue> cues(List<Word> words, double startSec, double endSec) {
    double duration = endSec - startSec;
    List<Word> inside = wordsInside(words, startSec, endSec);
    List<Captions.Cue> cues = new ArrayList<>();
    List<Word> current = new ArrayList<>();
    for (Word w : inside) {
      if (!current.isEmpty()) {
        Word first = current.get(0);
        Word last = current.get(current.size() - 1);
        List<Word> grown = new ArrayList<>(current);
        grown.add(w);
        boolean fits = wrap(grown) != null;
        if (!fits || w.end() - first.start() > MAX_CUE_SEC || w.start() - last.end() >= PAUSE_SEC) {
          cues.add(cue(current, startSec, duration));
          current.clear();
        }
      }
      current.add(w);
    }
    if (!current.isEmpty()) {
      cues.add(cue(current, startSec, duration));
    }
    cues.removeIf(c -> c.end() <= c.start());
    return cues;
  }

  /** The words whose middle lies inside {@code [startSec, endSec]} of the source (source timeline), blanks left out. */
  public static List<Word> wordsInside(List<Word> words, double startSec, double endSec) {
    List<Word> inside = new ArrayList<>();
    for (Word w : words) {
      double mid = (w.start() + w.end()) / 2;
      if (mid >= startSec && mid <= endSec && w.text() != null && !w.text().isBlank()) {
        inside.add(w);
      }
    }
    return inside;
  }

  private static Captions.Cue cue(List<Word> words, double clipStart, double duration) {
    double start = clamp(words.get(0).start() - clipStart, duration);
    double end = clamp(words.get(words.size() - 1).end() - clipStart, duration);
    String text = wrap(words);
    if (text == null) {
      // one word longer than a line: show it anyway rather than drop it
      text = String.join(" ", words.stream().map(w -> w.text().strip()).toList());
    }
    return new Captions.Cue(start, end, text);
  }

  /** The words on at most two lines of {@link #LINE_CHARS}, or null when they do not fit. */
  static String wrap(List<Word> words) {
    StringBuilder line1 = new StringBuilder();
    StringBuilder line2 = new StringBuilder();
    for (Word w : words) {
      String t = w.text().strip();
      StringBuilder line = line2.length() == 0 && fits(line1, t) ? line1 : line2;
      if (line == line2 && !fits(line2, t)) {
        return null;
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(t);
    }
    return line2.length() == 0 ? line1.toString() : line1 + "\n" + line2;
  }

  private static boolean fits(StringBuilder line, String word) {
    return line.length() + (line.length() > 0 ? 1 : 0) + word.length() <= LINE_CHARS;
  }

  private static double clamp(double t, double duration) {
    return Math.max(0, Math.min(duration, t));
  }


  private static final Pattern TIMING =
      Pattern.compile("^(\\d{2,}):(\\d{2}):(\\d{2})[,.](\\d{3}) --> (\\d{2,}):(\\d{2}):(\\d{2})[,.](\\d{3})");

  /**
   * Parses SRT or WebVTT cue timings (and the text under each). Throws {@link IllegalArgumentException} on a malformed
   * file: a VTT without its header, a timing line that does not parse, a cue with no text.
   */
  public static List<Captions.Cue> parse(String body, boolean vtt) {
    String[] lines = body.replace("\r\n", "\n").split("\n", -1);
    int i = 0;
    if (vtt) {
      if (lines.length == 0 || !lines[0].startsWith("WEBVTT")) {
        throw new IllegalArgumentException("no WEBVTT header");
      }
      i = 1;
    }
    List<Captions.Cue> cues = new ArrayList<>();
    for (; i < lines.length; i++) {
      String line = lines[i];
      if (!line.contains("-->")) {
        continue;
      }
      Matcher m = TIMING.matcher(line.strip());
      if (!m.find()) {
        throw new IllegalArgumentException("bad cue timing: " + line);
      }
      double start = seconds(m, 1);
      double end = seconds(m, 5);
      StringBuilder text = new StringBuilder();
      while (i + 1 < lines.length && !lines[i + 1].isBlank()) {
        text.append(text.length() > 0 ? "\n" : "").append(lines[++i]);
      }
      if (text.length() == 0) {
        throw new IllegalArgumentException("cue without text at " + line);
      }
      cues.add(new Captions.Cue(start, end, text.toString()));
    }
    return cues;
  }

  private static double seconds(Matcher m, int group) {
    return Long.parseLong(m.group(group)) * 3600
        + Long.parseLong(m.group(group + 1)) * 60
        + Long.parseLong(m.group(group + 2))
        + Long.parseLong(m.group(group + 3)) / 1000.0;
  }
}

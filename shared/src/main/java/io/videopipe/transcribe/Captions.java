package io.videopipe.transcribe;

import java.util.List;
import java.util.Locale;

/** SRT and WebVTT text from timed cues: the transcript's captions and each clip's. */
public final class Captions {
  private Captions() {}

  /** One caption: seconds from the start of the media it belongs to. */
  public record Cue(double start, double end, String text) {}

  public static String srt(List<Cue> cues) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cues.size(); i++) {
      Cue c = cues.get(i);
      sb.append(i + 1).append('\n')
          .append(timestamp(c.start(), ',')).append(" --> ").append(timestamp(c.end(), ',')).append('\n')
          .append(c.text()).append("\n\n");
    }
    return sb.toString();
  }

  public static String vtt(List<Cue> cues) {
    StringBuilder sb = new StringBuilder("WEBVTT\n\n");
    for (Cue c : cues) {
      sb.append(timestamp(c.start(), '.')).append(" --> ").append(timestamp(c.end(), '.')).append('\n')
          .append(c.text()).append("\n\n");
    }
    return sb.toString();
  }

  /**
   * HH:MM:SS,mmm (SRT) or HH:MM:SS.mmm (VTT). Floors rather than rounds, so a cue never reads past the end of its media
   * by half a millisecond.
   */
  public static String timestamp(double seconds, char millisSeparator) {
    long ms = Math.max(0, (long) Math.floor(seconds * 1000 + 1e-6));
    return String.format(
        Locale.ROOT, "%02d:%02d:%02d%c%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, millisSeparator, ms % 1000);
  }
}

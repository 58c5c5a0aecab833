package io.videopipe.jobs;

import io.videopipe.pipeline.JobPaths;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;

/**
 * One file of a rendered clip: {@code jobs/<id>/clips/clip-NN.mp4|.srt|.vtt}, NN being the highlight's rank.
 *
 * @param rank 1 (the best highlight) to 99
 * @param extension mp4, srt or vtt
 */
public record ClipFile(int rank, String extension) {
  private static final Pattern NAME = Pattern.compile("(\\d{1,2})(?:\\.([A-Za-z0-9]+))?");

  /** {@code 3}, {@code 3.mp4}, {@code 3.srt} or {@code 3.vtt}; {@code format} (mp4, srt, vtt) may say it instead. */
  public static ClipFile parse(String clip, String format) {
    Matcher m = NAME.matcher(clip);
    if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
      throw new IllegalArgumentException("clip '" + clip + "' must be a clip number from 1 to 99, e.g. /clips/1");
    }
    String ext = m.group(2) == null ? null : m.group(2).toLowerCase(Locale.ROOT);
    String wanted = format == null || format.isBlank() ? null : format.trim().toLowerCase(Locale.ROOT);
    if (ext != null && wanted != null && !ext.equals(wanted)) {
      throw new IllegalArgumentException("clip '" + clip + "' and format '" + format + "' ask for different files");
    }
    String chosen = ext != null ? ext : wanted != null ? wanted : "mp4";
    if (!chosen.equals("mp4") && !chosen.equals("srt") && !chosen.equals("vtt")) {
      throw new IllegalArgumentException("unknown clip format '" + chosen + "'; use one of mp4, srt, vtt");
    }
    return new ClipFile(Integer.parseInt(m.group(1)), chosen);
  }

  /** The file name under the job's {@code clips/} prefix. */
  public String fileName() {
    return JobPaths.clipFile(rank, extension);
  }

  public MediaType mediaType() {
    return switch (extension) {
      case "srt" -> TranscriptFormat.SRT.mediaType();
      case "vtt" -> TranscriptFormat.VTT.mediaType();
      default -> MediaType.parseMediaType("video/mp4");
    };
  }
}

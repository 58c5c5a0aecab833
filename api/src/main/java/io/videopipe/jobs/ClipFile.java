package io.videopipe.jobs;

import io.videopipe.pipeline.JobPaths;
import io.videopipe.clip.RenderedClip;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;

/**
 * One file of a rendered clip: {@code jobs/<id>/clips/clip-NN.mp4|.srt|.vtt}, NN being the highlight's rank, or one
 * of its further frames ({@code clips.aspects}): {@code clip-NN-9x16.mp4}.
 *
 * @param rank 1 (the best highlight) to 99
 * @param extension mp4, srt or vtt
 * @param aspect the further frame ({@code source}, {@code 9:16}, {@code 1:1}), or null for the clip's primary file
 */
public record ClipFile(int rank, String extension, String aspect) {
  private static final Pattern NAME = Pattern.compile("(\\d{1,2})(?:-([A-Za-z0-9]+))?(?:\\.([A-Za-z0-9]+))?");

  /**
   * {@code 3}, {@code 3.mp4}, {@code 3.srt} or {@code 3.vtt}; {@code format} (mp4, srt, vtt) may say it instead. A
   * further frame: {@code 3-9x16.mp4}, {@code 3-1x1}, {@code 3-source}.
   */
  public static ClipFile parse(String clip, String format) {
    Matcher m = NAME.matcher(clip);
    if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
      throw new IllegalArgumentException("clip '" + clip + "' must be a clip number from 1 to 99, e.g. /clips/1");
    }
    String aspect = null;
    if (m.group(2) != null) {
      aspect = JobPaths.aspectOfTag(m.group(2).toLowerCase(Locale.ROOT));
      if (!io.videopipe.clip.ClipOptions.ASPECTS.contains(aspect)) {
        throw new IllegalArgumentException("clip '" + clip + "' names no frame; use 1-source, 1-9x16 or 1-1x1");
      }
    }
    String ext = m.group(3) == null ? null : m.group(3).toLowerCase(Locale.ROOT);
    String wanted = format == null || format.isBlank() ? null : format.trim().toLowerCase(Locale.ROOT);
    if (ext != null && wanted != null && !ext.equals(wanted)) {
      throw new IllegalArgumentException("clip '" + clip + "' and format '" + format + "' ask for different files");
    }
    String chosen = ext != null ? ext : wanted != null ? wanted : "mp4";
    if (!chosen.equals("mp4") && !chosen.equals("srt") && !chosen.equals("vtt")) {
      throw new IllegalArgumentException("unknown clip format '" + chosen + "'; use one of mp4, srt, vtt");
    }
    if (aspect != null && !chosen.equals("mp4")) {
      throw new IllegalArgumentException("clip '" + clip + "': a frame is an mp4; its captions are the clip's, /clips/"
          + m.group(1) + "." + chosen);
    }
    return new ClipFile(Integer.parseInt(m.group(1)), chosen, aspect);
  }

  /** The file name under the job's {@code clips/} prefix. */
  public String fileName() {
    return aspect == null ? JobPaths.clipFile(rank, extension) : JobPaths.clipFormatFile(rank, aspect);
  }

  /** Its name in {@code /api/v1/jobs/{id}/clips/{clip}}, the inverse of {@link #parse}: {@code 3.mp4}, {@code 3-9x16.mp4}. */
  public String urlName() {
    return rank + (aspect == null ? "" : "-" + JobPaths.aspectTag(aspect)) + "." + extension;
  }

  /**
   * The download links of a job's rendered clips by file name ({@code clip-01.mp4}, {@code clip-01-9x16.mp4}, {@code
   * clip-01.srt}, ...; a frame's {@code fileName} in {@code result.clips[].formats}), in clip order.
   */
  public static Map<String, String> links(String jobId, List<RenderedClip> clips) {
    Map<String, String> links = new LinkedHashMap<>();
    if (clips == null) {
      return links;
    }
    String base = "/api/v1/jobs/" + jobId + "/clips/";
    for (RenderedClip c : clips) {
      List<ClipFile> files = new ArrayList<>();
      files.add(new ClipFile(c.rank(), "mp4", null));
      if (c.formats() != null) {
        c.formats().stream().skip(1).forEach(f -> files.add(new ClipFile(c.rank(), "mp4", f.aspect())));
      }
      files.add(new ClipFile(c.rank(), "srt", null));
      files.add(new ClipFile(c.rank(), "vtt", null));
      files.forEach(f -> links.put(f.fileName(), base + f.urlName()));
    }
    return links;
  }

  public MediaType mediaType() {
    return switch (extension) {
      case "srt" -> TranscriptFormat.SRT.mediaType();
      case "vtt" -> TranscriptFormat.VTT.mediaType();
      default -> MediaType.parseMediaType("video/mp4");
    };
  }
}

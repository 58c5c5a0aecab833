package io.videopipe.pipeline;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every artifact of a job: where each step writes under the job's prefix ({@code jobs/<jobId>/}) and the file names
 * of its exports. Compensation deletes by the step prefixes, so a step that died half-way leaves nothing behind either.
 * Paths are relative to the job's prefix (see {@code Storage.jobUri}).
 */
public final class JobPaths {
  public static final String SOURCE = "source/";
  public static final String AUDIO = "audio/";
  public static final String TRANSCRIPT = "transcript/";
  public static final String HIGHLIGHTS = "highlights/";
  public static final String CLIPS = "clips/";
  public static final String QA = "qa/";
  public static final String COST = "cost/";

  /** Export names: each is also the file's name under its step's prefix. */
  public static final String AUDIO_FILE = "audio.wav";
  public static final String HIGHLIGHTS_FILE = "highlights.json";
  public static final String QA_FILE = "qa.json";
  public static final String COST_FILE = "cost.json";
  /** Export name of the kept source copy (its file keeps the source's own name under {@link #SOURCE}). */
  public static final String SOURCE_EXPORT = "source";

  private JobPaths() {}

  /** The prefix of every artifact of one job, relative to the storage root. */
  public static String jobPrefix(String jobId) {
    return "jobs/" + jobId + "/";
  }

  public static String audio() {
    return AUDIO + AUDIO_FILE;
  }

  /** e.g. {@code transcript.json}; formats are json, srt, vtt, txt. */
  public static String transcriptFile(String format) {
    return "transcript." + format;
  }

  public static String transcript(String format) {
    return TRANSCRIPT + transcriptFile(format);
  }

  public static String highlights() {
    return HIGHLIGHTS + HIGHLIGHTS_FILE;
  }

  /** e.g. {@code clip-01.mp4}; extensions are mp4, srt, vtt. */
  public static String clipFile(int rank, String extension) {
    return String.format(Locale.ROOT, "clip-%02d.%s", rank, extension);
  }

  public static String clip(int rank, String extension) {
    return CLIPS + clipFile(rank, extension);
  }

  /**
   * The name of an extra frame of a clip (every {@code clips.aspects} entry after the first), e.g. {@code
   * clip-01-9x16.mp4}; the primary frame keeps {@link #clipFile}.
   */
  public static String clipFormatFile(int rank, String aspect) {
    return String.format(Locale.ROOT, "clip-%02d-%s.mp4", rank, aspectTag(aspect));
  }

  public static String clipFormat(int rank, String aspect) {
    return CLIPS + clipFormatFile(rank, aspect);
  }

  /** How an aspect is spelled in file names and URLs: {@code source}, {@code 9x16}, {@code 1x1}. */
  public static String aspectTag(String aspect) {
    return aspect.replace(':', 'x');
  }

  /** The aspect a {@link #aspectTag} names ({@code 9x16} is {@code 9:16}). */
  public static String aspectOfTag(String tag) {
    return tag.replace('x', ':');
  }

  public static String qaReport() {
    return QA + QA_FILE;
  }

  public static String costReport() {
    return COST + COST_FILE;
  }

  /** A job's exports by name, in the order the steps write them (the {@code artifacts} of a {@link JobResult}). */
  public static final class Exports {
    private final Map<String, String> byName = new LinkedHashMap<>();

    public Exports source(String uri) {
      byName.put(SOURCE_EXPORT, uri);
      return this;
    }

    public Exports audio(String uri) {
      byName.put(AUDIO_FILE, uri);
      return this;
    }

    public Exports transcript(String format, String uri) {
      byName.put(transcriptFile(format), uri);
      return this;
    }

    public Exports highlights(String uri) {
      byName.put(HIGHLIGHTS_FILE, uri);
      return this;
    }

    /** A rendered clip and its captions; a caption URI may be null. */
    public Exports clip(int rank, String mp4Uri, String srtUri, String vttUri) {
      byName.put(clipFile(rank, "mp4"), mp4Uri);
      if (srtUri != null) {
        byName.put(clipFile(rank, "srt"), srtUri);
      }
      if (vttUri != null) {
        byName.put(clipFile(rank, "vtt"), vttUri);
      }
      return this;
    }

    /** An extra frame of a rendered clip ({@link #clipFormatFile}). */
    public Exports clipFormat(int rank, String aspect, String mp4Uri) {
      byName.put(clipFormatFile(rank, aspect), mp4Uri);
      return this;
    }

    public Exports qa(String uri) {
      byName.put(QA_FILE, uri);
      return this;
    }

    public Exports cost(String uri) {
      byName.put(COST_FILE, uri);
      return this;
    }

    public Map<String, String> byName() {
      return new LinkedHashMap<>(byName);
    }
  }
}

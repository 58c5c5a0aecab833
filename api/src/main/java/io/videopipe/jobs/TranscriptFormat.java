package io.videopipe.jobs;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;

/** The transcript artifacts a finished job has, by the name used in {@code ?format=} and in the job result. */
public enum TranscriptFormat {
  JSON("json", MediaType.APPLICATION_JSON),
  SRT("srt", MediaType.parseMediaType("application/x-subrip;charset=UTF-8")),
  VTT("vtt", MediaType.parseMediaType("text/vtt;charset=UTF-8")),
  TXT("txt", MediaType.parseMediaType("text/plain;charset=UTF-8"));

  private final String key;
  private final MediaType mediaType;

  TranscriptFormat(String key, MediaType mediaType) {
    this.key = key;
    this.mediaType = mediaType;
  }

  public String key() {
    return key;
  }

  public MediaType mediaType() {
    return mediaType;
  }

  /** The format named {@code value} (case-insensitive); json when none is given. */
  public static TranscriptFormat parse(String value) {
    if (value == null || value.isBlank()) {
      return JSON;
    }
    String wanted = value.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(f -> f.key.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown transcript format '"
                        + value
                        + "'; use one of "
                        + Arrays.stream(values()).map(TranscriptFormat::key).collect(Collectors.joining(", "))));
  }
}

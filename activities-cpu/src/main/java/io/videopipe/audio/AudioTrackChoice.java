package io.videopipe.audio;

import io.videopipe.pipeline.ErrorTypes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.stream.Collectors;

/**
 * Which audio stream ExtractAudio decodes. Asked for by stream index or language, that one (an unknown one is an
 * {@link ErrorTypes#INVALID_REQUEST}); else the default-disposition stream; else, among several, the first whose
 * opening {@link #MEASURE_SEC} seconds carry sound (RMS at or above {@link #SOUND_DBFS}), because a silent commentary
 * or placeholder track first in the file would otherwise be transcribed to nothing.
 */
final class AudioTrackChoice {
  static final double MEASURE_SEC = 5;
  static final double SOUND_DBFS = -60;

  private AudioTrackChoice() {}

  static MediaInfo.AudioTrack choose(Path source, MediaInfo media, String requested, AudioExtractor extractor)
      throws MediaException, IOException {
    List<MediaInfo.AudioStream> audio = media.audio();
    if (requested != null && !requested.isBlank()) {
      return requested(media, requested.trim());
    }
    if (audio.size() == 1) {
      return track(audio.get(0), "the only audio stream");
    }
    List<MediaInfo.AudioStream> defaults = audio.stream().filter(MediaInfo.AudioStream::isDefault).toList();
    if (defaults.size() == 1) {
      return track(defaults.get(0), "the default audio stream");
    }
    List<MediaInfo.AudioStream> candidates = defaults.isEmpty() ? audio : defaults;
    List<String> silent = new ArrayList<>();
    for (MediaInfo.AudioStream a : candidates) {
      double dbfs = extractor.rmsDbfs(source, a.index(), MEASURE_SEC);
      if (dbfs >= SOUND_DBFS) {
        return track(
            a,
            String.format(
                Locale.ROOT,
                "the first %saudio stream with sound (%.1f dBFS RMS in its first %.0f s)%s",
                defaults.isEmpty() ? "" : "default ",
                dbfs,
                MEASURE_SEC,
                silent.isEmpty() ? "" : "; silent: " + String.join(", ", silent)));
      }
      silent.add(String.valueOf(a.index()));
    }
    return track(
        candidates.get(0),
        String.format(
            Locale.ROOT,
            "no audio stream carries sound in its first %.0f s (all below %.0f dBFS); the first",
            MEASURE_SEC,
            SOUND_DBFS));
  }

  private static MediaInfo.AudioTrack requested(MediaInfo media, String requested) throws MediaException {
    if (requested.chars().allMatch(Character::isDigit)) {
      int index = Integer.parseInt(requested);
      for (MediaInfo.AudioStream a : media.audio()) {
        if (a.index() == index) {
          return track(a, "requested by index " + index);
        }
      }
      throw unknown(media, "audioTrack " + index + ": the source has no audio stream with index " + index);
    }
    String lang = requested.toLowerCase(Locale.ROOT);
    String iso3 = iso3(lang);
    MediaInfo.AudioStream match = null;
    for (MediaInfo.AudioStream a : media.audio()) {
      if (a.language() != null && (a.language().equals(lang) || a.language().equals(iso3))) {
        if (match == null || (a.isDefault() && !match.isDefault())) {
          match = a;
        }
      }
    }
    if (match == null) {
      throw unknown(media, "audioTrack '" + requested + "': the source has no audio stream in that language");
    }
    return track(match, "requested by language '" + requested + "'");
  }

  /** ISO 639-2 code of a 2-letter ISO 639-1 one, as MP4 and Matroska tag streams; the code itself otherwise. */
  private static String iso3(String lang) {
    if (lang.length() != 2) {
      return lang;
    }
    try {
      return new Locale(lang).getISO3Language();
    } catch (MissingResourceException e) {
      return lang;
    }
  }

  private static MediaException unknown(MediaInfo media, String what) {
    String streams =
        media.audio().stream()
            .map(
                a ->
                    a.index()
                        + " ("
                        + (a.language() == null ? "no language" : a.language())
                        + (a.isDefault() ? ", default" : "")
                        + ")")
            .collect(Collectors.joining(", "));
    return new MediaException(
        ErrorTypes.INVALID_REQUEST, what + "; its audio streams are " + streams + " (set audioTrack to one of them)");
  }

  private static MediaInfo.AudioTrack track(MediaInfo.AudioStream a, String reason) {
    return new MediaInfo.AudioTrack(a.index(), a.language(), reason);
  }
}

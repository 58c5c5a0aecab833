package io.videopipe.qa;

import static io.videopipe.qa.QaText.fmt;

import io.videopipe.loudness.Loudness;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.Word;
import java.util.ArrayList;
import java.util.List;

/**
 * The transcript and audio checks ({@code transcript.*}, {@code audio.*}, see {@link QaActivitiesImpl}): pure, on the
 * transcript and the loudness measured on the job's audio.
 */
final class TranscriptAudioChecks {
  private final QaActivitiesImpl.Settings settings;

  TranscriptAudioChecks(QaActivitiesImpl.Settings settings) {
    this.settings = settings;
  }

  List<QaCheck> of(Transcript transcript, String transcriptProblem, Loudness loudness, String audioProblem,
      double expectedAudioSec) {
    List<QaCheck> checks = new ArrayList<>();
    List<Word> words = transcript == null ? List.of() : transcript.words();
    if (transcript == null) {
      for (String name : List.of("transcript.words", "transcript.timestamps", "transcript.inAudio", "transcript.confidence")) {
        checks.add(new QaCheck(name, false, transcriptProblem, "a readable transcript"));
      }
    } else {
      checks.add(new QaCheck("transcript.words", !words.isEmpty(), fmt("%d words", words.size()), "> 0"));
      checks.add(timestampCheck(words));
      checks.add(inAudioCheck(words, loudness, audioProblem));
      double confidence = transcript.meanConfidence();
      checks.add(
          new QaCheck(
              "transcript.confidence",
              !words.isEmpty() && confidence >= settings.minMeanConfidence(),
              words.isEmpty() ? "no words" : fmt("mean %.3f", confidence),
              fmt(">= %.2f", settings.minMeanConfidence())));
    }

    if (loudness == null) {
      checks.add(new QaCheck("audio.loudness", false, audioProblem, fmt("> %.1f LUFS integrated", settings.silentBelowLufs())));
      checks.add(new QaCheck("audio.duration", false, audioProblem, "audio as long as the source"));
    } else {
      checks.add(
          new QaCheck(
              "audio.loudness",
              loudness.integratedLufs() > settings.silentBelowLufs(),
              fmt("%.1f LUFS integrated, LRA %.1f LU", loudness.integratedLufs(), loudness.loudnessRangeLu())
                  + (Double.isNaN(loudness.truePeakDbtp()) ? ""
                      : fmt(", true peak %.1f dBTP", loudness.truePeakDbtp())),
              fmt("> %.1f LUFS integrated (not silent)", settings.silentBelowLufs())));
      double tolerance = Math.max(settings.durationToleranceSec(), settings.durationToleranceRatio() * expectedAudioSec);
      boolean known = expectedAudioSec > 0;
      checks.add(
          new QaCheck(
              "audio.duration",
              known && Math.abs(loudness.durationSec() - expectedAudioSec) <= tolerance,
              known
                  ? fmt("audio %.2f s, source audio stream %.2f s", loudness.durationSec(), expectedAudioSec)
                  : fmt("audio %.2f s, source duration unknown", loudness.durationSec()),
              fmt("difference <= %.2f s (max of %.1f s and %.0f %% of the source)",
                  tolerance, settings.durationToleranceSec(), settings.durationToleranceRatio() * 100)));
    }
    return checks;
  }

  private static QaCheck timestampCheck(List<Word> words) {
    String problem = null;
    for (int i = 0; i < words.size() && problem == null; i++) {
      Word w = words.get(i);
      if (!(w.start() >= 0 && w.start() <= w.end())) {
        problem = fmt("word %d '%s' spans %.3f-%.3f s", i, w.text(), w.start(), w.end());
      } else if (i > 0 && w.start() < words.get(i - 1).start()) {
        problem = fmt("word %d '%s' starts at %.3f s, before word %d (%.3f s)", i, w.text(), w.start(), i - 1,
            words.get(i - 1).start());
      }
    }
    return new QaCheck(
        "transcript.timestamps",
        problem == null,
        problem == null ? fmt("%d words in order", words.size()) : problem,
        "0 <= start <= end for every word, starts non-decreasing");
  }

  private QaCheck inAudioCheck(List<Word> words, Loudness loudness, String audioProblem) {
    String expected = fmt("last word ends within the audio (+%.2f s)", settings.timestampToleranceSec());
    if (loudness == null) {
      return new QaCheck("transcript.inAudio", false, audioProblem, expected);
    }
    double lastEnd = words.stream().mapToDouble(Word::end).max().orElse(0);
    return new QaCheck(
        "transcript.inAudio",
        lastEnd <= loudness.durationSec() + settings.timestampToleranceSec(),
        fmt("last word ends at %.2f s, audio lasts %.2f s", lastEnd, loudness.durationSec()),
        expected);
  }

}

package io.videopipe.qa;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.clip.ClipCaptions;
import io.videopipe.clip.ClipInspector;
import io.videopipe.clip.ClipOptions;
import io.videopipe.clip.RenderedClip;
import io.videopipe.highlight.Highlight;
import io.videopipe.highlight.HighlightOptions;
import io.videopipe.loudness.Loudness;
import io.videopipe.loudness.LoudnessMeter;
import io.videopipe.loudness.LoudnessStore;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.pipeline.JobPaths;
import io.videopipe.storage.JsonArtifacts;
import io.videopipe.storage.LocalFile;
import io.videopipe.storage.Storage;
import io.videopipe.transcribe.Captions;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.TranscriptStore;
import io.videopipe.transcribe.Word;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Checks a finished job's highlights, transcript and audio, and writes {@code jobs/<jobId>/qa/qa.json}. Every check is
 * reported with what was measured; the report passes only if every check does. A missing transcript or audio file
 * fails the checks that need it rather than the activity, so the report says what is missing.
 *
 * <p>Checks, by name:
 *
 * <ul>
 *   <li>{@code highlight.available}: at least one highlight. Zero highlights, e.g. because the speech is shorter than
 *       {@code minSec}, is a failed check (the job then needs review) rather than a job failure: the transcript is
 *       still good, but nothing was found to publish.
 *   <li>{@code highlight.count}: at most {@code maxCount}.
 *   <li>{@code highlight.duration}: each within {@code [minSec, maxSec]}.
 *   <li>{@code highlight.overlap}: no two overlap.
 *   <li>{@code highlight.boundaries}: each holds at least one whole word and cuts none (no word starts before a
 *       highlight's start and ends after it, nor straddles its end).
 *   <li>{@code highlight.text}: each text is exactly the words inside it.
 *   <li>{@code transcript.words}: more than 0 words.
 *   <li>{@code transcript.timestamps}: every word has {@code 0 <= start <= end} and starts never go backwards.
 *   <li>{@code transcript.inAudio}: every word ends within the audio (plus {@link Settings#timestampToleranceSec()}).
 *   <li>{@code transcript.confidence}: mean word confidence at least {@link Settings#minMeanConfidence()} (0.5).
 *   <li>{@code audio.loudness}: integrated loudness above {@link Settings#silentBelowLufs()} (-60 LUFS), i.e. not
 *       silent; the measured loudness range and true peak are reported with it.
 *   <li>{@code audio.duration}: extracted audio within max(1 s, 2 %) of the source's audio stream duration (the
 *       container's when the stream has none), so a decode that stopped early is caught; fails when neither is known
 *       (0), because then nothing confirms the audio is complete.
 * </ul>
 *
 * <p>Per rendered clip (each check names the clip's rank; absent when there are no clips), measured on the stored file
 * by {@link ClipInspector} and {@link LoudnessMeter}, independently of what the renderer reported:
 *
 * <ul>
 *   <li>{@code clip.readable}: the MP4 exists and FFmpeg opens it (when it fails, the clip's other checks are skipped).
 *   <li>{@code clip.codec}, {@code clip.profile}, {@code clip.level}, {@code clip.pixelFormat}: h264, High (100), 4.0
 *       (40), yuv420p; {@code clip.colour}: primaries, transfer and matrix bt709 in the container and the bitstream.
 *       Audio-only clips skip these.
 *   <li>{@code clip.audio}: AAC 48 kHz stereo.
 *   <li>{@code clip.decode}: every video and audio frame decodes, with zero errors.
 *   <li>{@code clip.duration}: the clip's duration equals its highlight's within one frame (1/fps; 50 ms audio-only).
 *   <li>{@code clip.loudness}: integrated loudness within {@value #CLIP_LOUDNESS_TOLERANCE_LU} LU of the target.
 *   <li>{@code clip.truePeak}: true peak at most the bound plus {@value #CLIP_TRUE_PEAK_TOLERANCE_DB} dB.
 *   <li>{@code clip.captions}: the SRT and VTT parse and every cue lies inside the clip.
 *   <li>{@code clip.loudnessSpread} (job-wide): max - min integrated loudness of the clips at most {@value
 *       #CLIP_SPREAD_LU} LU.
 * </ul>
 */
public final class QaActivitiesImpl implements QaActivities {
  static final String FILE = "qa.json";

  static final double CLIP_LOUDNESS_TOLERANCE_LU = 1.0;
  /** AAC encoding and the meter's interpolation move the true peak by a few tenths of a dB. */
  static final double CLIP_TRUE_PEAK_TOLERANCE_DB = 0.3;
  static final double CLIP_SPREAD_LU = 1.5;
  static final double AUDIO_ONLY_DURATION_TOLERANCE_SEC = 0.05;

  /** Tolerance for comparing times that went through float arithmetic. */
  private static final double EPS = 1e-6;


  /**
   * Thresholds of the checks.
   *
   * @param minMeanConfidence lowest acceptable mean word confidence
   * @param silentBelowLufs integrated loudness at or below this is silence
   * @param durationToleranceSec audio and source durations may differ by this much...
   * @param durationToleranceRatio ...or by this share of the source duration, whichever is larger
   * @param timestampToleranceSec words may end this much after the audio (engine frame rounding)
   */
  public record Settings(
      double minMeanConfidence,
      double silentBelowLufs,
      double durationToleranceSec,
      double durationToleranceRatio,
      double timestampToleranceSec) {
    public static Settings defaults() {
      return new Settings(0.5, -60.0, 1.0, 0.02, 0.05);
    }
  }

  private final Storage storage;
  private final TranscriptStore transcripts;
  private final LoudnessMeter meter;
  private final Settings settings;
  private final ClipInspector inspector = new ClipInspector();

  public QaActivitiesImpl(Storage storage, TranscriptStore transcripts, LoudnessMeter meter) {
    this(storage, transcripts, meter, Settings.defaults());
  }

  public QaActivitiesImpl(Storage storage, TranscriptStore transcripts, LoudnessMeter meter, Settings settings) {
    this.storage = storage;
    this.transcripts = transcripts;
    this.meter = meter;
    this.settings = settings;
  }

  /** What qa.json holds. */
  record QaDocument(
      String jobId,
      boolean passed,
      Settings settings,
      Double integratedLufs,
      Double loudnessRangeLu,
      Double truePeakDbtp,
      Double audioDurationSec,
      double expectedAudioSec,
      List<QaCheck> checks) {}

  @Override
  public QaReport check(QaRequest request) {
    long started = System.nanoTime();
    if (request == null || request.jobId() == null) {
      throw ApplicationFailure.newNonRetryableFailure("QualityCheck needs a jobId", ErrorTypes.INVALID_REQUEST);
    }
    try {
      Transcript transcript = null;
      String transcriptProblem = null;
      if (request.transcriptUri() == null) {
        transcriptProblem = "no transcript URI";
      } else {
        try {
          transcript = transcripts.read(URI.create(request.transcriptUri()));
        } catch (FileNotFoundException e) {
          transcriptProblem = "transcript missing: " + request.transcriptUri();
        } catch (JsonProcessingException e) {
          transcriptProblem = "transcript unreadable: " + e.getOriginalMessage();
        }
      }
      Loudness loudness = null;
      String audioProblem = null;
      if (request.audioUri() == null) {
        audioProblem = "no audio URI";
      } else {
        try {
          // The highlight step's measurement of this WAV when it kept one.
          ActivityExecutionContext context = Activity.getExecutionContext();
          loudness =
              new LoudnessStore(storage, meter)
                  .measure(URI.create(request.audioUri()), () -> context.heartbeat("measuring loudness"));
        } catch (FileNotFoundException e) {
          audioProblem = "audio missing: " + request.audioUri();
        } catch (LoudnessMeter.MediaException e) {
          audioProblem = "audio unreadable: " + e.getMessage();
        }
      }
      HighlightOptions options = request.options() == null ? HighlightOptions.defaults() : request.options();
      List<Highlight> highlights = request.highlights() == null ? List.of() : request.highlights();
      List<QaCheck> checks =
          checks(highlights, options, transcript, transcriptProblem, loudness, audioProblem, request.expectedAudioSec());
      List<RenderedClip> clips = request.clips() == null ? List.of() : request.clips();
      if (!clips.isEmpty()) {
        ClipOptions clipOptions = request.clipOptions() == null ? ClipOptions.defaults() : request.clipOptions();
        List<ClipMeasurement> measured = new ArrayList<>();
        for (RenderedClip clip : clips) {
          measured.add(measure(clip));
        }
        checks.addAll(clipChecks(clips, measured, clipOptions));
      }
      boolean passed = checks.stream().allMatch(QaCheck::passed);

      URI uri = storage.jobUri(request.jobId(), JobPaths.QA + FILE);
      QaDocument doc =
          new QaDocument(
              request.jobId(),
              passed,
              settings,
              loudness == null ? null : loudness.integratedLufs(),
              loudness == null ? null : loudness.loudnessRangeLu(),
              loudness == null ? null : loudness.truePeakDbtp(),
              loudness == null ? null : loudness.durationSec(),
              request.expectedAudioSec(),
              checks);
      JsonArtifacts.write(storage, uri, doc);
      return new QaReport(passed, checks, uri.toString(), (System.nanoTime() - started) / 1e9);
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause("QA failed: " + e.getMessage(), ErrorTypes.TRANSIENT, e);
    }
  }

  /** Every check, in a stable order. Package-private so tests can hold each one to account. */
  List<QaCheck> checks(
      List<Highlight> highlights,
      HighlightOptions options,
      Transcript transcript,
      String transcriptProblem,
      Loudness loudness,
      String audioProblem,
      double expectedAudioSec) {
    List<QaCheck> checks = new ArrayList<>();
    List<Word> words = transcript == null ? List.of() : transcript.words();
    double speechSec = words.isEmpty() ? 0 : words.get(words.size() - 1).end() - words.get(0).start();

    checks.add(
        new QaCheck(
            "highlight.available",
            !highlights.isEmpty(),
            fmt("%d highlights (speech spans %.1f s)", highlights.size(), speechSec),
            fmt(">= 1 highlight; needs a run of sentences lasting at least %.1f s", options.minSec())));
    checks.add(
        new QaCheck(
            "highlight.count",
            highlights.size() <= options.maxCount(),
            fmt("%d highlights", highlights.size()),
            fmt("<= %d", options.maxCount())));
    checks.add(durationCheck(highlights, options));
    checks.add(overlapCheck(highlights));
    checks.addAll(wordChecks(highlights, transcript, transcriptProblem));

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
              fmt(
                  "%.1f LUFS integrated, LRA %.1f LU, true peak %.1f dBTP",
                  loudness.integratedLufs(), loudness.loudnessRangeLu(), loudness.truePeakDbtp()),
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

  private static QaCheck durationCheck(List<Highlight> highlights, HighlightOptions options) {
    List<String> bad =
        highlights.stream()
            .filter(h -> h.durationSec() < options.minSec() - EPS || h.durationSec() > options.maxSec() + EPS)
            .map(h -> fmt("#%d %.2f s", h.rank(), h.durationSec()))
            .toList();
    String measured =
        highlights.isEmpty()
            ? "no highlights"
            : bad.isEmpty()
                ? fmt(
                    "%.2f-%.2f s",
                    highlights.stream().mapToDouble(Highlight::durationSec).min().orElse(0),
                    highlights.stream().mapToDouble(Highlight::durationSec).max().orElse(0))
                : "out of bounds: " + String.join(", ", bad);
    return new QaCheck(
        "highlight.duration", bad.isEmpty(), measured, fmt("each %.1f-%.1f s", options.minSec(), options.maxSec()));
  }

  private static QaCheck overlapCheck(List<Highlight> highlights) {
    List<Highlight> byStart = highlights.stream().sorted(Comparator.comparingDouble(Highlight::startSec)).toList();
    List<String> overlaps = new ArrayList<>();
    for (int i = 1; i < byStart.size(); i++) {
      Highlight prev = byStart.get(i - 1);
      Highlight next = byStart.get(i);
      if (next.startSec() < prev.endSec() - EPS) {
        overlaps.add(fmt("#%d and #%d share %.2f s", prev.rank(), next.rank(), prev.endSec() - next.startSec()));
      }
    }
    return new QaCheck(
        "highlight.overlap",
        overlaps.isEmpty(),
        overlaps.isEmpty() ? fmt("%d highlights, none overlap", highlights.size()) : String.join("; ", overlaps),
        "no overlap");
  }

  /** highlight.boundaries and highlight.text: both look at the words each highlight covers. */
  private static List<QaCheck> wordChecks(List<Highlight> highlights, Transcript transcript, String transcriptProblem) {
    if (transcript == null) {
      return List.of(
          new QaCheck("highlight.boundaries", highlights.isEmpty(), transcriptProblem, "whole words only"),
          new QaCheck("highlight.text", highlights.isEmpty(), transcriptProblem, "the words inside each highlight"));
    }
    List<Word> words = transcript.words();
    List<String> cuts = new ArrayList<>();
    List<String> wrongText = new ArrayList<>();
    for (Highlight h : highlights) {
      List<Word> inside = new ArrayList<>();
      for (Word w : words) {
        boolean overlaps = w.start() < h.endSec() - EPS && w.end() > h.startSec() + EPS;
        boolean contained = w.start() >= h.startSec() - EPS && w.end() <= h.endSec() + EPS;
        if (contained) {
          inside.add(w);
        } else if (overlaps) {
          cuts.add(fmt("#%d cuts '%s' (%.2f-%.2f s)", h.rank(), w.text(), w.start(), w.end()));
        }
      }
      if (inside.isEmpty()) {
        cuts.add(fmt("#%d holds no word", h.rank()));
      }
      String expected = inside.stream().map(w -> w.text().strip()).collect(Collectors.joining(" "));
      if (!expected.equals(h.text() == null ? "" : h.text().strip())) {
        wrongText.add(fmt("#%d", h.rank()));
      }
    }
    return List.of(
        new QaCheck(
            "highlight.boundaries",
            cuts.isEmpty(),
            cuts.isEmpty() ? fmt("%d highlights, no word cut", highlights.size()) : String.join("; ", cuts),
            "each starts before its first word, ends after its last and cuts no word"),
        new QaCheck(
            "highlight.text",
            wrongText.isEmpty(),
            wrongText.isEmpty()
                ? fmt("%d highlights match their words", highlights.size())
                : "text differs from the words inside: " + String.join(", ", wrongText),
            "each text is exactly the words inside it"));
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

  /**
   * What QA measured on one stored clip: {@code problem} set when the MP4 could not be read; {@code captionProblem}
   * when its captions could not be read.
   */
  record ClipMeasurement(
      ClipInspector.Report report, Loudness loudness, String problem, List<Captions.Cue> srt,
      List<Captions.Cue> vtt, String captionProblem) {}

  private ClipMeasurement measure(RenderedClip clip) throws IOException {
    ActivityExecutionContext context = Activity.getExecutionContext();
    Runnable beat = () -> context.heartbeat("checking clip " + clip.rank());
    ClipInspector.Report report = null;
    Loudness loudness = null;
    String problem = null;
    if (clip.clipUri() == null) {
      problem = "no clip URI";
    } else {
      try (LocalFile file = storage.localFile(URI.create(clip.clipUri()))) {
        report = inspector.inspect(file.path(), beat);
        loudness = meter.measure(file.path(), beat);
      } catch (FileNotFoundException e) {
        problem = "clip missing: " + clip.clipUri();
      } catch (LoudnessMeter.MediaException e) {
        problem = "clip unreadable: " + e.getMessage();
      }
    }
    List<Captions.Cue> srt = null;
    List<Captions.Cue> vtt = null;
    String captionProblem = null;
    try {
      srt = ClipCaptions.parse(readText(clip.srtUri()), false);
      vtt = ClipCaptions.parse(readText(clip.vttUri()), true);
    } catch (FileNotFoundException e) {
      captionProblem = "captions missing: " + e.getMessage();
    } catch (IllegalArgumentException e) {
      captionProblem = "captions malformed: " + e.getMessage();
    }
    return new ClipMeasurement(report, loudness, problem, srt, vtt, captionProblem);
  }

  private String readText(String uri) throws IOException {
    if (uri == null) {
      throw new FileNotFoundException("no URI");
    }
    try (InputStream in = storage.openRead(URI.create(uri))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The per-clip checks and the job-wide loudness spread, in clip order. Package-private for tests. */
  List<QaCheck> clipChecks(List<RenderedClip> clips, List<ClipMeasurement> measured, ClipOptions options) {
    List<QaCheck> checks = new ArrayList<>();
    List<Double> levels = new ArrayList<>();
    for (int i = 0; i < clips.size(); i++) {
      RenderedClip clip = clips.get(i);
      ClipMeasurement m = measured.get(i);
      int rank = clip.rank();
      if (m.problem() != null) {
        checks.add(new QaCheck("clip.readable", false, m.problem(), "a readable MP4", rank));
      } else {
        checks.add(new QaCheck("clip.readable", true, "opened", "a readable MP4", rank));
        checks.addAll(formatChecks(clip, m.report()));
        levels.add(m.loudness().integratedLufs());
        checks.add(new QaCheck("clip.loudness",
            Math.abs(m.loudness().integratedLufs() - options.targetLufs()) <= CLIP_LOUDNESS_TOLERANCE_LU,
            fmt("%.2f LUFS integrated", m.loudness().integratedLufs()),
            fmt("%.1f +- %.1f LUFS", options.targetLufs(), CLIP_LOUDNESS_TOLERANCE_LU), rank));
        checks.add(new QaCheck("clip.truePeak",
            m.loudness().truePeakDbtp() <= options.maxTruePeakDbtp() + CLIP_TRUE_PEAK_TOLERANCE_DB,
            fmt("%.2f dBTP", m.loudness().truePeakDbtp()),
            fmt("<= %.1f dBTP (+%.1f dB tolerance)", options.maxTruePeakDbtp(), CLIP_TRUE_PEAK_TOLERANCE_DB), rank));
      }
      checks.add(captionCheck(clip, m));
    }
    if (!levels.isEmpty()) {
      double spread = levels.stream().mapToDouble(Double::doubleValue).max().orElse(0)
          - levels.stream().mapToDouble(Double::doubleValue).min().orElse(0);
      checks.add(new QaCheck("clip.loudnessSpread", spread <= CLIP_SPREAD_LU + EPS,
          fmt("%.2f LU across %d clips", spread, levels.size()), fmt("<= %.1f LU", CLIP_SPREAD_LU)));
    }
    return checks;
  }

  private static List<QaCheck> formatChecks(RenderedClip clip, ClipInspector.Report r) {
    int rank = clip.rank();
    List<QaCheck> checks = new ArrayList<>();
    if (clip.hasVideo() || r.hasVideo()) {
      checks.add(new QaCheck("clip.codec", "h264".equals(r.videoCodec()), String.valueOf(r.videoCodec()), "h264", rank));
      checks.add(new QaCheck("clip.profile", r.profile() == 100, fmt("%d", r.profile()), "100 (High)", rank));
      checks.add(new QaCheck("clip.level", r.level() == 40, fmt("%d", r.level()), "40 (level 4.0)", rank));
      checks.add(new QaCheck("clip.pixelFormat", "yuv420p".equals(r.pixelFormat()), String.valueOf(r.pixelFormat()),
          "yuv420p", rank));
      String stream = r.primaries() + "/" + r.transfer() + "/" + r.matrix();
      checks.add(new QaCheck("clip.colour",
          "bt709/bt709/bt709".equals(stream) && "bt709/bt709/bt709".equals(r.frameColour()),
          "container " + stream + ", bitstream " + r.frameColour(), "bt709/bt709/bt709 in both", rank));
    }
    checks.add(new QaCheck("clip.audio",
        "aac".equals(r.audioCodec()) && r.sampleRate() == 48000 && r.channels() == 2,
        fmt("%s %d Hz %d ch", r.audioCodec(), r.sampleRate(), r.channels()), "aac 48000 Hz 2 ch", rank));
    boolean framesOk = r.audioSamples() > 0 && (!clip.hasVideo() || r.videoFrames() > 0);
    checks.add(new QaCheck("clip.decode", r.decodeErrors() == 0 && framesOk,
        fmt("%d errors, %d video frames, %d audio samples", r.decodeErrors(), r.videoFrames(), r.audioSamples()),
        "0 errors, every stream decodes", rank));
    double expected = clip.endSec() - clip.startSec();
    double tolerance = r.hasVideo() && r.fps() > 0 ? 1.0 / r.fps() : AUDIO_ONLY_DURATION_TOLERANCE_SEC;
    double audioSec = r.sampleRate() > 0 ? (double) r.audioSamples() / r.sampleRate() : 0;
    double videoSec = r.hasVideo() && r.fps() > 0 ? r.videoFrames() / r.fps() : expected;
    boolean durationOk = Math.abs(r.durationSec() - expected) <= tolerance + EPS
        && Math.abs(audioSec - expected) <= tolerance + EPS
        && Math.abs(videoSec - expected) <= tolerance + EPS;
    checks.add(new QaCheck("clip.duration", durationOk,
        fmt("container %.3f s, video %.3f s, audio %.3f s", r.durationSec(), videoSec, audioSec),
        fmt("%.3f s +- %.3f s", expected, tolerance), rank));
    return checks;
  }

  private static QaCheck captionCheck(RenderedClip clip, ClipMeasurement m) {
    double duration = clip.endSec() - clip.startSec();
    String expected = fmt("SRT and VTT parse, every cue within 0-%.3f s", duration);
    if (m.captionProblem() != null) {
      return new QaCheck("clip.captions", false, m.captionProblem(), expected, clip.rank());
    }
    List<String> outside = new ArrayList<>();
    for (List<Captions.Cue> cues : List.of(m.srt(), m.vtt())) {
      for (Captions.Cue c : cues) {
        if (c.start() < 0 || c.end() < c.start() || c.end() > duration + 0.001) {
          outside.add(fmt("%.3f-%.3f s", c.start(), c.end()));
        }
      }
    }
    return new QaCheck("clip.captions", outside.isEmpty() && m.srt().size() == m.vtt().size(),
        outside.isEmpty() ? fmt("%d SRT and %d VTT cues inside the clip", m.srt().size(), m.vtt().size())
            : "cues outside the clip: " + String.join(", ", outside),
        expected, clip.rank());
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}

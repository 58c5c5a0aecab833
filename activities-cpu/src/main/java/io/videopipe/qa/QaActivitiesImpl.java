package io.videopipe.qa;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.clip.ClipCaptions;
import io.videopipe.clip.ClipInspector;
import io.videopipe.clip.ClipOptions;
import io.videopipe.clip.ClipOutputSpec;
import io.videopipe.captions.CaptionProbe;
import io.videopipe.reframe.FaceDetector;
import io.videopipe.reframe.FramingProbe;
import io.videopipe.clip.RenderedClip;
import io.videopipe.highlight.Highlight;
import io.videopipe.highlight.HighlightOptions;
import io.videopipe.loudness.Loudness;
import io.videopipe.loudness.LoudnessMeasurementException;
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
 * The QualityCheck activity: reads what a finished job made (transcript, audio, clips), measures it, runs the pure check
 * families ({@link HighlightChecks}, {@link TranscriptAudioChecks}, {@link ClipChecks}) and writes {@code jobs/<jobId>/qa/qa.json}. Every check is
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
 *       silent; the measured loudness range is reported with it (the WAV's true peak is not measured: it is never
 *       published, and each clip's is checked on its AAC).
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
 *   <li>{@code clip.loudness}: integrated loudness within {@link ClipOutputSpec#LOUDNESS_TOLERANCE_LU} LU of the target.
 *   <li>{@code clip.truePeak}: true peak of the published (AAC) file at most the bound, no allowance.
 *   <li>{@code clip.captions}: the SRT and VTT parse and every cue lies inside the clip.
 *   <li>{@code clip.framing} (9:16 and 1:1 clips): measured with a second face cascade ({@link
 *       FaceDetector.Cascade#HAAR_FRONTAL_ALT2}; the renderer uses another) on 4 frames a second: for a clip framed on
 *       a face, a face in at least half the frames and its centre in the middle fifth of the width in at least {@link
 *       ClipOutputSpec#FACE_CENTRED_SHARE} of them; for a centre crop, no face in most frames or the face centred anyway.
 *   <li>{@code clip.burnedCaptions} (clips with captions in the picture): text in the caption band at the middle of
 *       every word the transcript has inside the clip, none in the middle of pauses longer than a page break
 *       ({@link CaptionProbe}).
 *   <li>{@code clip.loudnessSpread} (job-wide): max - min integrated loudness of the clips at most {@link
 *       ClipOutputSpec#LOUDNESS_SPREAD_LU} LU.
 * </ul>
 */
public final class QaActivitiesImpl implements QaActivities {
  static final String FILE = "qa.json";



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
        } catch (LoudnessMeasurementException e) {
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
        // every frame of a clip (clips.aspects) is checked as a clip of its own under the clip's rank, so a failed
        // frame has the highlight rendered once more
        List<RenderedClip> files = new ArrayList<>();
        List<ClipOptions> fileOptions = new ArrayList<>();
        for (RenderedClip clip : clips) {
          List<RenderedClip> frames = ClipChecks.frames(clip);
          for (int i = 0; i < frames.size(); i++) {
            files.add(frames.get(i));
            fileOptions.add(clip.formats() == null ? clipOptions : clipOptions.forAspect(clip.formats().get(i).aspect()));
          }
        }
        List<ClipChecks.ClipMeasurement> measured = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
          measured.add(measure(files.get(i), fileOptions.get(i), transcript));
        }
        checks.addAll(ClipChecks.of(files, measured, fileOptions));
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
              loudness == null || Double.isNaN(loudness.truePeakDbtp()) ? null : loudness.truePeakDbtp(),
              loudness == null ? null : loudness.durationSec(),
              request.expectedAudioSec(),
              checks);
      JsonArtifacts.write(storage, uri, doc);
      return new QaReport(passed, checks, uri.toString(), (System.nanoTime() - started) / 1e9);
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause("QA failed: " + e.getMessage(), ErrorTypes.TRANSIENT, e);
    }
  }

  /** Every job check (highlight, transcript and audio families), in a stable order. Package-private for tests. */
  List<QaCheck> checks(
      List<Highlight> highlights,
      HighlightOptions options,
      Transcript transcript,
      String transcriptProblem,
      Loudness loudness,
      String audioProblem,
      double expectedAudioSec) {
    List<QaCheck> checks = new ArrayList<>(HighlightChecks.of(highlights, options, transcript, transcriptProblem));
    checks.addAll(
        new TranscriptAudioChecks(settings).of(transcript, transcriptProblem, loudness, audioProblem, expectedAudioSec));
    return checks;
  }

  private ClipChecks.ClipMeasurement measure(RenderedClip clip, ClipOptions options, Transcript transcript) throws IOException {
    ActivityExecutionContext context = Activity.getExecutionContext();
    Runnable beat = () -> context.heartbeat("checking clip " + clip.rank());
    ClipInspector.Report report = null;
    Loudness loudness = null;
    String problem = null;
    FramingProbe.Measurement framing = null;
    List<CaptionProbe.Sample> burned = null;
    if (clip.clipUri() == null) {
      problem = "no clip URI";
    } else {
      try (LocalFile file = storage.localFile(URI.create(clip.clipUri()))) {
        report = inspector.inspect(file.path(), beat);
        loudness = meter.measure(file.path(), beat);
        if (report.hasVideo() && options.reframed()) {
          framing = FramingProbe.measure(file.path(), FaceDetector.Cascade.HAAR_FRONTAL_ALT2, beat);
        }
        if (report.hasVideo() && clip.captionsBurned() && transcript != null && transcript.words() != null) {
          List<Word> inClip = new ArrayList<>();
          for (Word w : ClipCaptions.wordsInside(transcript.words(), clip.startSec(), clip.endSec())) {
            inClip.add(new Word(w.text(), w.start() - clip.startSec(), w.end() - clip.startSec(), w.confidence()));
          }
          burned = CaptionProbe.measure(file.path(),
              CaptionProbe.probeTimes(inClip, clip.endSec() - clip.startSec()), beat);
        }
      } catch (FileNotFoundException e) {
        problem = "clip missing: " + clip.clipUri();
      } catch (LoudnessMeasurementException e) {
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
    return new ClipChecks.ClipMeasurement(report, loudness, problem, srt, vtt, captionProblem, framing, burned);
  }

  private String readText(String uri) throws IOException {
    if (uri == null) {
      throw new FileNotFoundException("no URI");
    }
    try (InputStream in = storage.openRead(URI.create(uri))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

}

package io.videopipe.qa;

import static io.videopipe.qa.QaText.EPS;
import static io.videopipe.qa.QaText.fmt;

import io.videopipe.captions.CaptionProbe;
import io.videopipe.clip.ClipFormat;
import io.videopipe.clip.ClipInspector;
import io.videopipe.clip.ClipOptions;
import io.videopipe.clip.ClipOutputSpec;
import io.videopipe.clip.RenderedClip;
import io.videopipe.loudness.Loudness;
import io.videopipe.reframe.FramingProbe;
import io.videopipe.transcribe.Captions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;

/**
 * The clip checks ({@code clip.*}, see {@link QaActivitiesImpl}): pure, on what was measured on each stored clip,
 * holding it to {@link ClipOutputSpec}, the format the renderer encodes to.
 */
final class ClipChecks {
  static final double CLIP_LOUDNESS_TOLERANCE_LU = ClipOutputSpec.LOUDNESS_TOLERANCE_LU;
  static final double CLIP_SPREAD_LU = ClipOutputSpec.LOUDNESS_SPREAD_LU;
  static final double AUDIO_ONLY_DURATION_TOLERANCE_SEC = 0.05;

  private ClipChecks() {}

  /**
   * What QA measured on one stored clip: {@code problem} set when the MP4 could not be read; {@code captionProblem}
   * when its captions could not be read.
   */
  record ClipMeasurement(
      ClipInspector.Report report, Loudness loudness, String problem, List<Captions.Cue> srt,
      List<Captions.Cue> vtt, String captionProblem, FramingProbe.Measurement framing,
      List<CaptionProbe.Sample> burned) {}

  /** The per-clip checks and the job-wide loudness spread, in clip order. Package-private for tests. */
  static List<QaCheck> of(List<RenderedClip> clips, List<ClipMeasurement> measured, ClipOptions options) {
    return of(clips, measured, java.util.Collections.nCopies(clips.size(), options));
  }

  /**
   * The files to check of one rendered clip: the clip itself, or with several frames ({@code clips.aspects}) one per
   * frame, each carrying that frame's file, framing and measured loudness (the captions are the clip's).
   */
  static List<RenderedClip> frames(RenderedClip clip) {
    if (clip.formats() == null || clip.formats().isEmpty()) {
      return List.of(clip);
    }
    List<RenderedClip> frames = new ArrayList<>();
    for (ClipFormat f : clip.formats()) {
      frames.add(new RenderedClip(clip.rank(), f.clipUri(), clip.srtUri(), clip.vttUri(), clip.startSec(),
          clip.endSec(), clip.durationSec(), clip.hasVideo(), f.integratedLufs(), f.truePeakDbtp(), clip.attempt(),
          clip.computeSec(), f.sizeBytes(), f.framing(), clip.captionsBurned(), List.of(f)));
    }
    return frames;
  }

  /**
   * As {@link #of(List, List, ClipOptions)}, with each file's own options (its frame): files of several frames name
   * their aspect in what they measured and are held to that frame's size.
   */
  static List<QaCheck> of(List<RenderedClip> clips, List<ClipMeasurement> measured, List<ClipOptions> optionsOf) {
    List<QaCheck> checks = new ArrayList<>();
    Set<Integer> captionsChecked = new HashSet<>();
    List<Double> levels = new ArrayList<>();
    for (int i = 0; i < clips.size(); i++) {
      RenderedClip clip = clips.get(i);
      ClipMeasurement m = measured.get(i);
      ClipOptions options = optionsOf.get(i);
      ClipFormat frame = clip.formats() != null && clip.formats().size() == 1 ? clip.formats().get(0) : null;
      int rank = clip.rank();
      int before = checks.size();
      if (m.problem() != null) {
        checks.add(new QaCheck("clip.readable", false, m.problem(), "a readable MP4", rank));
      } else {
        checks.add(new QaCheck("clip.readable", true, "opened", "a readable MP4", rank));
        checks.addAll(formatChecks(clip, m.report()));
        if (frame != null && m.report().hasVideo()) {
          checks.add(frameCheck(frame, m.report(), rank));
        }
        levels.add(m.loudness().integratedLufs());
        checks.add(new QaCheck("clip.loudness",
            Math.abs(m.loudness().integratedLufs() - options.targetLufs()) <= CLIP_LOUDNESS_TOLERANCE_LU,
            fmt("%.2f LUFS integrated", m.loudness().integratedLufs()),
            fmt("%.1f +- %.1f LUFS", options.targetLufs(), CLIP_LOUDNESS_TOLERANCE_LU), rank));
        checks.add(new QaCheck("clip.truePeak",
            m.loudness().truePeakDbtp() <= options.maxTruePeakDbtp() + EPS,
            fmt("%.2f dBTP", m.loudness().truePeakDbtp()),
            fmt("<= %.1f dBTP on the published AAC", options.maxTruePeakDbtp()), rank));
        if (m.framing() != null) {
          checks.add(framingCheck(clip, m.framing()));
        }
        if (clip.captionsBurned()) {
          checks.add(burnedCaptionsCheck(clip, m.burned()));
        }
      }
      if (captionsChecked.add(rank)) {
        checks.add(captionCheck(clip, m)); // the captions are the clip's, one pair for all its frames
      }
      if (frame != null) {
        for (int c = before; c < checks.size(); c++) {
          QaCheck q = checks.get(c);
          checks.set(c, new QaCheck(q.name(), q.passed(), "[" + frame.aspect() + "] " + q.measured(), q.expected(),
              q.clip()));
        }
      }
    }
    if (!levels.isEmpty()) {
      double spread = levels.stream().mapToDouble(Double::doubleValue).max().orElse(0)
          - levels.stream().mapToDouble(Double::doubleValue).min().orElse(0);
      checks.add(new QaCheck("clip.loudnessSpread", spread <= CLIP_SPREAD_LU + EPS,
          fmt("%.2f LU across %d clips", spread, levels.size()), fmt("<= %.1f LU", CLIP_SPREAD_LU)));
    }
    return checks;
  }

  private static QaCheck framingCheck(RenderedClip clip, FramingProbe.Measurement f) {
    String measured = fmt("renderer: %s; QA's detector: a face in %d of %d frames, centred in %d (%.0f %%)",
        clip.framing(), f.withFace(), f.samples(), f.centred(), 100 * f.centredShare());
    if (RenderedClip.FRAMING_FACE.equals(clip.framing())) {
      boolean ok = f.faceShare() >= 0.5 && f.centredShare() >= ClipOutputSpec.FACE_CENTRED_SHARE - EPS;
      return new QaCheck("clip.framing", ok, measured,
          fmt("a face in >= 50 %% of frames, centred (middle fifth) in >= %.0f %% of them",
              100 * ClipOutputSpec.FACE_CENTRED_SHARE), clip.rank());
    }
    // a centre crop is right when no face is there to follow, or when the face it shows is centred anyway
    boolean ok = f.faceShare() < 0.5 || f.centredShare() >= ClipOutputSpec.FACE_CENTRED_SHARE - EPS;
    return new QaCheck("clip.framing", ok, measured,
        fmt("centre crop: no face in most frames, or the face centred in >= %.0f %% of them",
            100 * ClipOutputSpec.FACE_CENTRED_SHARE), clip.rank());
  }

  /**
   * A frame of several is the size the renderer says and has its aspect's shape (9:16, 1:1 within the rounding to even
   * pixels).
   */
  private static QaCheck frameCheck(ClipFormat frame, ClipInspector.Report r, int rank) {
    double want = ClipOptions.defaults().forAspect(frame.aspect()).aspectRatio();
    boolean sizeOk = r.width() == frame.width() && r.height() == frame.height() && r.width() > 0 && r.height() > 0;
    boolean shapeOk = want == 0 || Math.abs((double) r.width() / r.height() - want) <= 2.0 / r.height() * want + EPS;
    return new QaCheck("clip.frame", sizeOk && shapeOk, fmt("%dx%d", r.width(), r.height()),
        want == 0 ? fmt("%dx%d (the source's frame)", frame.width(), frame.height())
            : fmt("%dx%d, %s", frame.width(), frame.height(), frame.aspect()), rank);
  }

  private static QaCheck burnedCaptionsCheck(RenderedClip clip, List<CaptionProbe.Sample> samples) {
    String expected = fmt("text in the caption band at every word (share >= %.3f), none in pauses (<= %.3f)",
        CaptionProbe.PRESENT_SHARE, CaptionProbe.ABSENT_SHARE);
    if (samples == null) {
      return new QaCheck("clip.burnedCaptions", false, "no transcript to check the captions against", expected,
          clip.rank());
    }
    List<String> bad = samples.stream().filter(s -> !s.ok())
        .map(s -> fmt("%.2f s %s text (%.4f)", s.timeSec(), s.expectText() ? "lacks" : "has", s.textShare())).toList();
    long words = samples.stream().filter(CaptionProbe.Sample::expectText).count();
    return new QaCheck("clip.burnedCaptions", bad.isEmpty(),
        bad.isEmpty() ? fmt("%d word times with text, %d pauses without", words, samples.size() - words)
            : String.join("; ", bad),
        expected, clip.rank());
  }

  private static List<QaCheck> formatChecks(RenderedClip clip, ClipInspector.Report r) {
    int rank = clip.rank();
    List<QaCheck> checks = new ArrayList<>();
    if (clip.hasVideo() || r.hasVideo()) {
      checks.add(new QaCheck("clip.codec", ClipOutputSpec.VIDEO_CODEC.equals(r.videoCodec()),
          String.valueOf(r.videoCodec()), ClipOutputSpec.VIDEO_CODEC, rank));
      checks.add(new QaCheck("clip.profile", r.profile() == ClipOutputSpec.PROFILE, fmt("%d", r.profile()),
          ClipOutputSpec.PROFILE + " (High)", rank));
      checks.add(new QaCheck("clip.level", r.level() == ClipOutputSpec.LEVEL, fmt("%d", r.level()),
          ClipOutputSpec.LEVEL + " (level 4.0)", rank));
      checks.add(new QaCheck("clip.pixelFormat", ClipOutputSpec.PIXEL_FORMAT.equals(r.pixelFormat()),
          String.valueOf(r.pixelFormat()), ClipOutputSpec.PIXEL_FORMAT, rank));
      String stream = r.primaries() + "/" + r.transfer() + "/" + r.matrix();
      String want = String.join("/", ClipOutputSpec.COLOUR, ClipOutputSpec.COLOUR, ClipOutputSpec.COLOUR);
      checks.add(new QaCheck("clip.colour", want.equals(stream) && want.equals(r.frameColour()),
          "container " + stream + ", bitstream " + r.frameColour(), want + " in both", rank));
    }
    checks.add(new QaCheck("clip.audio",
        ClipOutputSpec.AUDIO_CODEC.equals(r.audioCodec()) && r.sampleRate() == ClipOutputSpec.SAMPLE_RATE
            && r.channels() == ClipOutputSpec.CHANNELS,
        fmt("%s %d Hz %d ch", r.audioCodec(), r.sampleRate(), r.channels()),
        fmt("%s %d Hz %d ch", ClipOutputSpec.AUDIO_CODEC, ClipOutputSpec.SAMPLE_RATE, ClipOutputSpec.CHANNELS), rank));
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

}

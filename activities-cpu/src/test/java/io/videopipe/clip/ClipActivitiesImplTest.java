package io.videopipe.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.audio.MediaFixtures;
import io.videopipe.highlight.Highlight;
import io.videopipe.highlight.HighlightOptions;
import io.videopipe.loudness.LoudnessMeter;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.pipeline.JobPaths;
import io.videopipe.qa.QaActivities;
import io.videopipe.qa.QaActivitiesImpl;
import io.videopipe.qa.QaCheck;
import io.videopipe.qa.QaReport;
import io.videopipe.qa.QaRequest;
import io.videopipe.route.Engine;
import io.videopipe.storage.LocalStorage;
import io.videopipe.testing.ActivityTestEnvironment;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.TranscriptStore;
import io.videopipe.transcribe.Word;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** RenderClip and the clip checks of QualityCheck, end to end on real media in local storage. */
class ClipActivitiesImplTest {
  static final String JOB = "job-clips";

  @TempDir Path dir;

  @RegisterExtension
  final ActivityTestEnvironment testEnv =
      ActivityTestEnvironment.newBuilder()
          .setActivityImplementations(
              // built on the first stub, after setUp has made the test's storage
              () -> new ClipActivitiesImpl(
                  this.storage, this.transcripts, new ClipRenderer.Settings("veryfast", 21, this.tempDir)),
              () -> new QaActivitiesImpl(this.storage, this.transcripts, new LoudnessMeter()))
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .build();

  LocalStorage storage;
  TranscriptStore transcripts;
  Path tempDir;
  ClipActivities clips;
  QaActivities qa;
  String sourceUri;
  String transcriptUri;

  @BeforeEach
  void setUp() throws Exception {
    storage = new LocalStorage(dir.resolve("data"));
    tempDir = Files.createDirectories(dir.resolve("tmp"));
    transcripts = new TranscriptStore(storage);
    URI source = storage.jobUri(JOB, JobPaths.SOURCE + "source.mp4");
    storage.put(ClipFixtures.twoLevelSource(dir), source, false);
    sourceUri = source.toString();
    List<Word> words = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      words.add(new Word("word" + i, 0.2 + i * 0.5, 0.5 + i * 0.5, 0.9));
    }
    transcriptUri =
        transcripts.write(JOB, Engine.LOCAL, new Transcript("vosk", "en", 20, words), 1).transcriptUri();
    clips = testEnv.stub(ClipActivities.class);
    qa = testEnv.stub(QaActivities.class);
  }

  @AfterEach
  void leavesNoTemporaryFiles() throws Exception {
    try (var s = Files.list(tempDir)) {
      assertThat(s.toList()).as("temporary files").isEmpty();
    }
  }

  static Highlight highlight(int rank, double start, double end) {
    return new Highlight(rank, start, end, 1.0 / rank, "", Map.of(), "clip " + rank);
  }

  RenderedClip render(Highlight h, ClipOptions options) {
    return clips.render(new ClipRequest(JOB, sourceUri, transcriptUri, h, options, 1));
  }

  QaReport check(List<RenderedClip> rendered, List<Highlight> highlights) {
    return qa.check(new QaRequest(JOB, null, transcriptUri, 20, highlights, HighlightOptions.defaults(), rendered,
        ClipOptions.defaults()));
  }

  static List<QaCheck> clipChecks(QaReport report) {
    return report.checks().stream().filter(c -> c.name().startsWith("clip.")).toList();
  }

  @Test
  void rendersNamedClipsThatPassQaAndQaCatchesBrokenOnes() throws Exception {
    Highlight quiet = highlight(1, 2.0, 9.0);
    Highlight loud = highlight(2, 9.6, 16.6);
    Highlight tooQuiet = highlight(3, 16.0, 19.5);
    RenderedClip one = render(quiet, ClipOptions.defaults());
    RenderedClip two = render(loud, ClipOptions.defaults());

    assertThat(one.clipUri()).isEqualTo(storage.jobUri(JOB, "clips/clip-01.mp4").toString());
    assertThat(two.srtUri()).isEqualTo(storage.jobUri(JOB, "clips/clip-02.srt").toString());
    assertThat(two.vttUri()).isEqualTo(storage.jobUri(JOB, "clips/clip-02.vtt").toString());
    assertThat(one.hasVideo()).isTrue();
    assertThat(one.integratedLufs()).isBetween(-15.0, -13.0);
    assertThat(two.truePeakDbtp()).isLessThanOrEqualTo(-0.8);
    assertThat(two.durationSec()).isEqualTo(7.0, org.assertj.core.api.Assertions.within(1e-9));
    // word19 spans 9.7-10.0 s of the source: the clip's first cue starts 0.1 s in
    String srt = Files.readString(storage.path(URI.create(two.srtUri())));
    assertThat(srt).startsWith("1\n00:00:00,100 --> ").contains("word19 word20");
    assertThat(srt).doesNotContain("word18 ").doesNotContain("word33");

    QaReport good = check(List.of(one, two), List.of(quiet, loud));
    assertThat(clipChecks(good))
        .as(good.checks().stream().map(QaCheck::toString).collect(Collectors.joining("\n")))
        .allMatch(QaCheck::passed)
        .extracting(QaCheck::name)
        .contains("clip.codec", "clip.profile", "clip.level", "clip.pixelFormat", "clip.colour", "clip.audio",
            "clip.decode", "clip.duration", "clip.loudness", "clip.truePeak", "clip.captions", "clip.loudnessSpread");
    assertThat(clipChecks(good).stream().filter(c -> c.clip() != null).map(QaCheck::clip).distinct())
        .containsExactly(1, 2);
    assertThat(good.failedClips()).isEmpty();

    // clip 3 rendered 10 LU too quiet; clip 2's file truncated after the fact
    RenderedClip three = render(tooQuiet, new ClipOptions(-24, -1, false, false));
    Path clip2 = storage.path(URI.create(two.clipUri()));
    byte[] bytes = Files.readAllBytes(clip2);
    Files.write(clip2, java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));

    QaReport bad = check(List.of(one, two, three), List.of(quiet, loud, tooQuiet));
    assertThat(bad.passed()).isFalse();
    assertThat(bad.failedClips()).containsExactly(2, 3);
    assertThat(clipChecks(bad)).filteredOn(c -> !c.passed())
        .extracting(c -> c.name() + "#" + c.clip())
        .contains("clip.loudness#3", "clip.decode#2", "clip.duration#2", "clip.loudnessSpread#null");
  }

  @Test
  void rendersEveryFrameOfAHighlightFromOneDecodeAndQaChecksEachFile() throws Exception {
    ClipOptions three = new ClipOptions(-14, -1, false, false, null, false,
        List.of(ClipOptions.SOURCE, ClipOptions.VERTICAL, ClipOptions.SQUARE));
    Highlight h = highlight(1, 9.6, 16.6);
    RenderedClip clip = render(h, three);

    assertThat(clip.clipUri()).isEqualTo(storage.jobUri(JOB, "clips/clip-01.mp4").toString());
    assertThat(clip.formats()).extracting(ClipFormat::aspect).containsExactly("source", "9:16", "1:1");
    assertThat(clip.formats()).extracting(ClipFormat::fileName)
        .containsExactly("clip-01.mp4", "clip-01-9x16.mp4", "clip-01-1x1.mp4");
    assertThat(clip.formats().get(0).clipUri()).isEqualTo(clip.clipUri());
    assertThat(clip.sizeBytes()).isEqualTo(clip.formats().get(0).sizeBytes());
    // one decode for the face tracking of both reframed frames, one feeding the three encoders
    assertThat(clip.formats()).allSatisfy(f -> assertThat(f.videoDecodes()).isEqualTo(2));
    // which rule chose the face travels with each reframed frame (one face here: the largest)
    assertThat(clip.formats().get(0).faceRule()).isNull();
    assertThat(clip.formats().subList(1, 3)).allSatisfy(f -> assertThat(f.faceRule())
        .isEqualTo(RenderedClip.FRAMING_FACE.equals(f.framing()) ? "largest" : null));
    int[][] sizes = {{640, 360}, {202, 360}, {360, 360}};
    LoudnessMeter meter = new LoudnessMeter();
    List<Double> levels = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ClipFormat f = clip.formats().get(i);
      Path file = storage.path(URI.create(f.clipUri()));
      assertThat(file).exists().hasFileName(f.fileName());
      assertThat(Files.size(file)).isEqualTo(f.sizeBytes());
      ClipInspector.Report r = new ClipInspector().inspect(file, () -> {});
      assertThat(r.decodeErrors()).isZero();
      assertThat(new int[] {r.width(), r.height()}).as(f.aspect()).containsExactly(sizes[i]);
      assertThat(new int[] {f.width(), f.height()}).containsExactly(sizes[i]);
      double lufs = meter.measure(file).integratedLufs();
      assertThat(lufs).as(f.aspect()).isCloseTo(-14, org.assertj.core.api.Assertions.within(0.5));
      levels.add(lufs);
    }
    assertThat(levels.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
        - levels.stream().mapToDouble(Double::doubleValue).min().orElseThrow()).isLessThanOrEqualTo(0.5);
    // captions stay one pair per highlight
    try (var files = Files.list(storage.path(storage.jobUri(JOB, "clips/clip-01.mp4")).getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("clip-01.mp4", "clip-01-9x16.mp4", "clip-01-1x1.mp4", "clip-01.srt", "clip-01.vtt");
    }

    QaReport good = qa.check(new QaRequest(JOB, null, transcriptUri, 20, List.of(h), HighlightOptions.defaults(),
        List.of(clip), three));
    String all = good.checks().stream().map(QaCheck::toString).collect(Collectors.joining("\n"));
    assertThat(clipChecks(good)).as(all).allMatch(QaCheck::passed);
    assertThat(clipChecks(good)).filteredOn(c -> c.name().equals("clip.frame")).hasSize(3);
    assertThat(clipChecks(good)).filteredOn(c -> c.name().equals("clip.decode")).hasSize(3);
    assertThat(clipChecks(good)).filteredOn(c -> c.name().equals("clip.framing")).hasSize(2);
    assertThat(clipChecks(good)).filteredOn(c -> c.name().equals("clip.captions")).hasSize(1);

    // the square frame truncated after the fact: the highlight fails (and is rendered again), naming the frame
    Path square = storage.path(URI.create(clip.formats().get(2).clipUri()));
    byte[] bytes = Files.readAllBytes(square);
    Files.write(square, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    QaReport bad = qa.check(new QaRequest(JOB, null, transcriptUri, 20, List.of(h), HighlightOptions.defaults(),
        List.of(clip), three));
    assertThat(bad.failedClips()).containsExactly(1);
    assertThat(clipChecks(bad)).filteredOn(c -> !c.passed()).isNotEmpty()
        .allSatisfy(c -> assertThat(c.measured()).startsWith("[1:1]"));
  }

  @Test
  void anAttemptClearsWhatAKilledEarlierAttemptOfTheSameClipLeftAndLeavesNothingItself() throws Exception {
    // what a worker killed mid-render leaves: its intermediates in the directory of its attempt of the clip
    Path leftovers = Files.createDirectories(tempDir.resolve("clip-" + JOB + "-1-r1a3"));
    Files.write(leftovers.resolve("clip-segment-123.wav"), new byte[1024]);
    Files.write(leftovers.resolve("clip.mp4"), new byte[10]);
    // another clip of the job, rendering at the same time: not this attempt's to clear
    Path otherClip = Files.createDirectories(tempDir.resolve("clip-" + JOB + "-10-r1a1"));

    RenderedClip clip = render(highlight(1, 2.0, 9.0), ClipOptions.defaults());

    assertThat(clip.sizeBytes()).isGreaterThan(10);
    try (java.util.stream.Stream<Path> left = Files.list(tempDir)) {
      assertThat(left).containsExactly(otherClip);
    }
    Files.delete(otherClip);
  }

  @Test
  void highlightPastTheSourceFailsWithoutRetryAndLeavesNoClip() throws Exception {
    assertThatThrownBy(() -> render(highlight(4, 15.0, 25.0), ClipOptions.defaults()))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(ErrorTypes.HIGHLIGHT_OUT_OF_RANGE);
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage()).contains("ends after the source");
            });
    assertThat(storage.list(storage.jobUri(JOB, JobPaths.CLIPS))).isEmpty();
    try (java.util.stream.Stream<Path> left = Files.list(tempDir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void corruptSourceFailsWithoutRetry() throws Exception {
    URI junk = storage.jobUri(JOB, JobPaths.SOURCE + "junk.mp4");
    storage.put(MediaFixtures.textFile(dir.resolve("junk.mp4"), "not a video"), junk, false);
    assertThatThrownBy(() -> clips.render(
            new ClipRequest(JOB, junk.toString(), transcriptUri, highlight(1, 0, 5), ClipOptions.defaults(), 1)))
        .cause()
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo(ErrorTypes.UNSUPPORTED_MEDIA);
          assertThat(f.isNonRetryable()).isTrue();
        });
    assertThat(storage.list(storage.jobUri(JOB, JobPaths.CLIPS))).isEmpty();
  }
}

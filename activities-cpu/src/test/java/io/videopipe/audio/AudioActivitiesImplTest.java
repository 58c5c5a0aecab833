package io.videopipe.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.pipeline.JobPaths;
import io.videopipe.storage.LocalStorage;
import io.videopipe.testing.ActivityTestEnvironment;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class AudioActivitiesImplTest {
  private static final String JOB = "job-1";

  @TempDir Path dir;

  @RegisterExtension
  final ActivityTestEnvironment testEnv =
      ActivityTestEnvironment.newBuilder()
          .setActivityImplementations(() -> new AudioActivitiesImpl(this.storage, new AudioSettings(this.tempDir, Duration.ZERO)))
          // The SDK sends heartbeats at most every 0.8 x this; cancellation is noticed on a sent heartbeat.
          .setHeartbeatTimeout(Duration.ofMillis(100))
          .build();

  private LocalStorage storage;
  private Path tempDir;
  private TestActivityEnvironment env;
  private AudioActivities activities;

  @BeforeEach
  void setUp() throws IOException {
    storage = new LocalStorage(dir.resolve("data"));
    tempDir = Files.createDirectories(dir.resolve("tmp"));
    activities = testEnv.stub(AudioActivities.class);
    env = testEnv.environment();
  }

  @Test
  void extractsStoredSourceToTheJobsAudioWav() throws Exception {
    URI source = store(MediaFixtures.mp4H264Aac(dir, 3));
    List<ExtractProgress> beats = new CopyOnWriteArrayList<>();
    env.setActivityHeartbeatListener(ExtractProgress.class, beats::add);

    ExtractedAudio result = activities.extractAudio(new ExtractAudioRequest(JOB, source.toString(), null));

    URI expected = storage.jobUri(JOB, JobPaths.AUDIO + "audio.wav");
    assertThat(result.audioUri()).isEqualTo(expected.toString());
    assertThat(result.audioDurationSec()).isCloseTo(3, within(0.1));
    assertThat(result.computeSec()).isPositive().isLessThan(30);
    assertThat(result.media().video()).extracting(MediaInfo.VideoStream::codec).containsExactly("h264");
    assertThat(result.media().audio()).extracting(MediaInfo.AudioStream::codec).containsExactly("aac");
    Wav wav = Wav.read(storage.path(expected));
    assertThat(wav.sampleRate()).isEqualTo(16_000);
    assertThat(wav.channels()).isEqualTo(1);
    assertThat(wav.durationSec()).isEqualTo(result.audioDurationSec());
    assertThat(wav.zeroCrossingHz()).isCloseTo(MediaFixtures.TONE_HZ, within(5.0));
    assertThat(beats).isNotEmpty();
    assertThat(beats).allSatisfy(b -> assertThat(b.percent()).isBetween(0, 100));
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void zeroByteSourceIsUnsupportedMedia() throws Exception {
    assertFailsLeavingNothing(
        store(Files.createFile(dir.resolve("empty.mp4"))), ErrorTypes.UNSUPPORTED_MEDIA, "zero-byte file");
  }

  @Test
  void textFileNamedMp4IsUnsupportedMedia() throws Exception {
    Path text = MediaFixtures.textFile(dir.resolve("notes.mp4"), "meeting notes, definitely not a video\n");

    assertFailsLeavingNothing(
        store(text),
        ErrorTypes.UNSUPPORTED_MEDIA,
        "not a media file FFmpeg can read: Invalid data found when processing input");
  }

  @Test
  void truncatedMp4IsUnsupportedMedia() throws Exception {
    Path whole = MediaFixtures.mp4H264Aac(dir, 3);
    Path cut = MediaFixtures.truncated(whole, dir.resolve("cut.mp4"), Files.size(whole) * 2 / 3);

    assertFailsLeavingNothing(
        store(cut), ErrorTypes.UNSUPPORTED_MEDIA, "truncated: the MP4/MOV file ends inside its 'mdat' box");
  }

  @Test
  void videoWithoutAudioIsNoAudioStream() throws Exception {
    assertFailsLeavingNothing(
        store(MediaFixtures.videoOnlyH264(dir, 2, 1280, 720)),
        ErrorTypes.NO_AUDIO_STREAM,
        "no audio stream: the source has 1 video stream (h264 1280x720) and nothing to transcribe");
  }

  @Test
  void missingSourceIsSourceNotFound() {
    URI gone = storage.jobUri(JOB, JobPaths.SOURCE + "gone.mp4");

    assertFailsLeavingNothing(gone, ErrorTypes.SOURCE_NOT_FOUND, "stored source");
  }

  @Test
  void cancellationStopsExtractionWithinTwoSecondsAndLeavesNothing() throws Exception {
    // Ten minutes of 48 kHz stereo PCM: cheap to generate, long enough that extraction is still running when the
    // cancellation reaches the activity.
    URI source = store(MediaFixtures.wav(dir, 600));
    AtomicLong cancelledAt = new AtomicLong();
    List<ExtractProgress> beats = new CopyOnWriteArrayList<>();
    env.setActivityHeartbeatListener(
        ExtractProgress.class,
        beat -> {
          beats.add(beat);
          if (cancelledAt.get() == 0) {
            cancelledAt.set(System.nanoTime());
            env.requestCancelActivity();
          }
        });

    assertThatThrownBy(() -> activities.extractAudio(new ExtractAudioRequest(JOB, source.toString(), null)))
        .isInstanceOf(CanceledFailure.class);
    double stoppedAfterSec = (System.nanoTime() - cancelledAt.get()) / 1e9;

    assertThat(cancelledAt.get()).isNotZero();
    assertThat(stoppedAfterSec).isLessThan(2);
    assertThat(beats).allSatisfy(b -> assertThat(b.percent()).isLessThan(100));
    assertThat(storage.list(storage.jobUri(JOB, JobPaths.AUDIO))).isEmpty();
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void faststartMp4CutToItsFirst60KbIsSourceTruncatedNamingBothDurations() throws Exception {
    Path whole = MediaFixtures.faststart(MediaFixtures.mp4H264Aac(dir, 20), dir.resolve("fast.mp4"));
    Path cut = MediaFixtures.truncated(whole, dir.resolve("cut.mp4"), 60_000);

    // Not retried (assertFailsLeavingNothing checks non-retryable; the stub allows one attempt anyway).
    assertFailsLeavingNothing(store(cut), ErrorTypes.SOURCE_TRUNCATED, "truncated source: only ");
    assertThat(ErrorTypes.NON_RETRYABLE).contains(ErrorTypes.SOURCE_TRUNCATED);
    assertThatThrownBy(() -> extract(cut, null))
        .cause()
        .extracting(f -> ((ApplicationFailure) f).getOriginalMessage())
        .asString()
        .matches("truncated source: only \\d+\\.\\d\\d s of audio decodes from aac audio stream 1,"
            + " but the container declares 20\\.0\\d s \\(truncated: the MP4/MOV file ends inside its 'mdat' box.*");
  }

  @Test
  void aSilentFirstTrackGivesWayToTheDefaultOne() throws Exception {
    ExtractedAudio result = extract(MediaFixtures.silentFirstTrack(dir, 2, false), null);

    assertThat(result.media().audio()).extracting(MediaInfo.AudioStream::isDefault).containsExactly(false, true);
    assertThat(result.media().audioTrack())
        .isEqualTo(new MediaInfo.AudioTrack(2, "fra", "the default audio stream"));
    assertTone(result);
  }

  @Test
  void withoutADefaultTrackTheFirstWithSoundIsUsed() throws Exception {
    ExtractedAudio result = extract(MediaFixtures.silentFirstTrack(dir, 2, true), null);

    assertThat(result.media().audio()).extracting(MediaInfo.AudioStream::isDefault).containsExactly(false, false);
    assertThat(result.media().audioTrack().index()).isEqualTo(2);
    assertThat(result.media().audioTrack().reason())
        .startsWith("the first audio stream with sound")
        .endsWith("silent: 1");
    assertTone(result);
  }

  @Test
  void aRequestPicksTheTrackByIndexOrLanguage() throws Exception {
    Path source = MediaFixtures.silentFirstTrack(dir, 2, false);

    ExtractedAudio byIndex = extract(source, "1");
    assertThat(byIndex.media().audioTrack()).isEqualTo(new MediaInfo.AudioTrack(1, "eng", "requested by index 1"));
    assertThat(Wav.read(storage.path(URI.create(byIndex.audioUri()))).rms()).isZero();

    ExtractedAudio byLanguage = extract(source, "en");
    assertThat(byLanguage.media().audioTrack().index()).isEqualTo(1);
    assertThat(extract(source, "fra").media().audioTrack())
        .isEqualTo(new MediaInfo.AudioTrack(2, "fra", "requested by language 'fra'"));
  }

  @Test
  void anUnknownTrackIsAnInvalidRequest() throws Exception {
    URI source = store(MediaFixtures.silentFirstTrack(dir, 2, false));

    assertFailsLeavingNothing(
        source,
        "7",
        ErrorTypes.INVALID_REQUEST,
        "audioTrack 7: the source has no audio stream with index 7; its audio streams are 1 (eng), 2 (fra, default)");
    assertFailsLeavingNothing(
        source, "de", ErrorTypes.INVALID_REQUEST, "audioTrack 'de': the source has no audio stream in that language");
  }

  private ExtractedAudio extract(Path file, String audioTrack) throws IOException {
    URI source = store(file);
    return activities.extractAudio(new ExtractAudioRequest(JOB, source.toString(), audioTrack));
  }

  private void assertTone(ExtractedAudio result) throws IOException {
    Wav wav = Wav.read(storage.path(URI.create(result.audioUri())));
    assertThat(wav.durationSec()).isCloseTo(2, within(0.1));
    assertThat(wav.zeroCrossingHz()).isCloseTo(MediaFixtures.TONE_HZ, within(5.0));
  }

  private void assertFailsLeavingNothing(URI source, String type, String messageStart) {
    assertFailsLeavingNothing(source, null, type, messageStart);
  }

  private void assertFailsLeavingNothing(URI source, String audioTrack, String type, String messageStart) {
    assertThatThrownBy(() -> activities.extractAudio(new ExtractAudioRequest(JOB, source.toString(), audioTrack)))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(type);
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage()).startsWith(messageStart);
            });
    try {
      assertThat(storage.list(storage.jobUri(JOB, JobPaths.AUDIO))).isEmpty();
      assertThat(tempFiles()).isEmpty();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private URI store(Path file) throws IOException {
    URI uri = storage.jobUri(JOB, JobPaths.SOURCE + file.getFileName());
    storage.put(file, uri, false);
    return uri;
  }

  private List<Path> tempFiles() throws IOException {
    try (Stream<Path> files = Files.list(tempDir)) {
      return files.toList();
    }
  }
}

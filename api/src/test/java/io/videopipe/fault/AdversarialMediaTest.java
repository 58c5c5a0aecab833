package io.videopipe.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.videopipe.audio.MediaFixtures;
import io.videopipe.jobs.JobService;
import io.videopipe.jobs.JobSubmission;
import io.videopipe.pipeline.JobResult;
import io.videopipe.pipeline.JobStatus;
import io.videopipe.testing.LocalRole;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hostile and odd media through the real pipeline (the workflow on the embedded server, real FFmpeg and Vosk): each
 * case ends with a typed error that names the cause, or with a correct result, within a bound; never a hung job.
 * A failed job leaves no artifact behind. The outcomes go to target/fault-report/adversarial-media.json.
 */
@Tag("fault")
class AdversarialMediaTest {
  static final Set<String> MEDIA_ERRORS = Set.of("UnsupportedMedia", "NoAudioStream", "SourceEmpty", "SourceTooLarge");
  static Path corpus;
  static final ObjectNode report = JobsClient.JSON.createObjectNode();
  static final ArrayNode cases = report.putArray("cases");

  @BeforeAll
  static void corpus() throws IOException {
    corpus = LocalRole.newDir("adversarial");
  }

  @AfterAll
  static void writeReport() throws IOException {
    Path out = Path.of("target", "fault-report", "adversarial-media.json");
    Files.createDirectories(out.getParent());
    JobsClient.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
  }

  /** Runs one source as a job and answers its result, failing the test if it does not end within {@code bound}. */
  static JobResult run(String jobId, Path source, Duration bound) throws Exception {
    JobService jobs = LocalRole.context().getBean(JobService.class);
    long start = System.nanoTime();
    jobs.start(JobSubmission.builder(source.toString()).jobId(jobId).engine("local").keepSource(false).build(), "fault-suite");
    CompletableFuture<JobResult> result = CompletableFuture.supplyAsync(() -> jobs.awaitResult(jobId));
    JobResult r;
    try {
      r = result.get(bound.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      jobs.cancel(jobId, "fault suite: over the per-case bound");
      throw new AssertionError(jobId + " did not end within " + bound + " (hung?)");
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    ObjectNode c = cases.addObject().put("case", jobId).put("file", source.getFileName().toString())
        .put("bytes", Files.size(source)).put("status", r.status().name()).put("ms", ms).put("boundMs", bound.toMillis());
    if (r.error() != null) {
      c.put("errorType", r.error().type()).put("message", r.error().message());
    }
    return r;
  }

  static void assertTypedFailure(JobResult r, String jobId, Set<String> types) throws IOException {
    assertThat(r.status()).as(String.valueOf(r)).isEqualTo(JobStatus.FAILED);
    assertThat(r.error()).isNotNull();
    assertThat(r.error().type()).as(r.error().message()).isIn(types);
    assertThat(r.error().message()).as("a message that names the cause").hasSizeGreaterThan(15);
    Path job = LocalRole.storageRoot().resolve("jobs").resolve(jobId);
    if (Files.exists(job)) {
      try (Stream<Path> files = Files.walk(job)) {
        assertThat(files.filter(Files::isRegularFile).toList()).as("artifacts left by " + jobId).isEmpty();
      }
    }
  }

  static void assertTranscribed(JobResult r) {
    assertThat(r.status()).as(String.valueOf(r)).isIn(JobStatus.COMPLETED, JobStatus.NEEDS_REVIEW);
    assertThat(r.transcription()).isNotNull();
    assertThat(r.transcription().artifacts()).containsKeys("json", "srt", "vtt", "txt");
  }

  @Test
  void truncatedAtTenFiftyAndNinetyPercent() throws Exception {
    Path whole = MediaFixtures.mp4H264Aac(Files.createDirectories(corpus.resolve("whole")), 4);
    for (int percent : new int[] {10, 50, 90}) {
      Path cut = MediaFixtures.truncated(whole, corpus.resolve("truncated-" + percent + ".mp4"),
          Files.size(whole) * percent / 100);
      String id = "adv-truncated-" + percent;
      assertTypedFailure(run(id, cut, Duration.ofSeconds(60)), id, Set.of("UnsupportedMedia"));
    }
  }

  @Test
  void zeroLengthAndGarbageUnderMediaNames() throws Exception {
    Path empty = Files.createFile(corpus.resolve("zero.webm"));
    assertTypedFailure(run("adv-zero", empty, Duration.ofSeconds(60)), "adv-zero", Set.of("SourceEmpty"));
    Random random = new Random(8);
    for (String ext : List.of("mp4", "mkv", "webm")) {
      byte[] garbage = new byte[200_000];
      random.nextBytes(garbage);
      Path f = Files.write(corpus.resolve("garbage." + ext), garbage);
      String id = "adv-garbage-" + ext;
      assertTypedFailure(run(id, f, Duration.ofSeconds(60)), id, Set.of("UnsupportedMedia"));
    }
  }

  @Test
  void noAudioStreamIsNamed() throws Exception {
    Path silent = MediaFixtures.videoOnlyH264(Files.createDirectories(corpus.resolve("noaudio")), 1, 160, 120);
    assertTypedFailure(run("adv-noaudio", silent, Duration.ofSeconds(60)), "adv-noaudio", Set.of("NoAudioStream"));
  }

  @Test
  void hugeDimensionsStillTranscribeTheAudio() throws Exception {
    // A real 8192x8192 H.264 frame (x264 warns that it is over the level limits) with a short tone.
    Path huge = MediaFixtures.ffmpeg(corpus.resolve("huge-8192.mp4"),
        "-f", "lavfi", "-i", "color=c=gray:s=8192x8192:r=1:d=1",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=1",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest");
    JobResult r = run("adv-huge", huge, Duration.ofSeconds(120));
    assertTranscribed(r);
    assertThat(r.source().media().video().get(0).width()).isEqualTo(8192);
  }

  @Test
  void matroskaNamedMp4IsProbedByContent() throws Exception {
    Path mkv = MediaFixtures.mkvH265Opus(Files.createDirectories(corpus.resolve("mkv")), 2);
    Path named = Files.copy(mkv, corpus.resolve("actually-matroska.mp4"));
    JobResult r = run("adv-wrong-ext", named, Duration.ofSeconds(90));
    assertTranscribed(r);
    assertThat(r.source().media().container()).contains("matroska");
  }

  @Test
  void nestedContainers() throws Exception {
    Path inner = MediaFixtures.mp4H264Aac(Files.createDirectories(corpus.resolve("inner")), 2);
    // An MP4 inside a ZIP, uploaded under a video name: not media, and the pipeline does not unpack archives.
    Path zip = corpus.resolve("zipped.mp4");
    try (OutputStream os = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(os)) {
      z.putNextEntry(new ZipEntry("talk.mp4"));
      Files.copy(inner, z);
      z.closeEntry();
    }
    assertTypedFailure(run("adv-zip", zip, Duration.ofSeconds(60)), "adv-zip", Set.of("UnsupportedMedia"));
    // The same MP4 in a TAR archive named .mp4.
    Path tar = corpus.resolve("tarred.mp4");
    MediaFixtures.textFile(tar, "");
    try (OutputStream os = Files.newOutputStream(tar)) {
      byte[] header = new byte[512];
      byte[] name = "talk.mp4".getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(name, 0, header, 0, name.length);
      byte[] size = String.format("%011o\0", Files.size(inner)).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(size, 0, header, 124, size.length);
      System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 6);
      os.write(header);
      Files.copy(inner, os);
      os.write(new byte[(int) ((512 - Files.size(inner) % 512) % 512) + 1024]);
    }
    assertTypedFailure(run("adv-tar", tar, Duration.ofSeconds(60)), "adv-tar", Set.of("UnsupportedMedia"));
    // An MKV carrying the MP4 as an attachment: the MKV's own audio is what gets transcribed.
    Path withAttachment = MediaFixtures.ffmpeg(corpus.resolve("with-attachment.mkv"),
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
        "-attach", inner.toString(), "-metadata:s:t", "mimetype=video/mp4", "-c:a", "libopus");
    JobResult r = run("adv-mkv-attachment", withAttachment, Duration.ofSeconds(90));
    assertTranscribed(r);
    assertThat(r.source().media().audio()).hasSize(1);
  }

  @Test
  void oneHourOfSilence() throws Exception {
    // FLAC in Matroska stores digital silence in a few bytes per frame (under the test role's 3 MB source limit) and
    // encodes in seconds; Opus took over two minutes on a busy machine.
    Path hour = MediaFixtures.ffmpeg(corpus.resolve("silence-1h.mkv"),
        "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "3600", "-c:a", "flac");
    JobResult r = run("adv-silence-1h", hour, Duration.ofMinutes(15));
    assertTranscribed(r);
    assertThat(r.source().media().durationSec()).isBetween(3599.0, 3601.0);
    assertThat(r.transcription().words()).as("silence has no words").isLessThanOrEqualTo(3);
  }
}

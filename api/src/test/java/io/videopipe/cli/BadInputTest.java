package io.videopipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.videopipe.audio.MediaFixtures;
import io.videopipe.testing.LocalRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * Every bad input of the foundation issue ends FAILED with a message that names the cause, after one attempt, and
 * leaves no artifact of the job behind.
 */
class BadInputTest {

  static JsonNode failed(String jobId, String source, String expectedType, String... messageParts) throws Exception {
    ProcessCommandTest.Run run = ProcessCommandTest.process(source, "--job-id", jobId);
    JsonNode j = run.json();
    assertThat(run.exitCode()).as(j.toPrettyString()).isEqualTo(1);
    assertThat(j.path("status").asText()).isEqualTo("FAILED");
    assertThat(j.path("error").path("type").asText()).as(j.toPrettyString()).isEqualTo(expectedType);
    String message = j.path("error").path("message").asText();
    assertThat(message).as("a message a person can act on").hasSizeGreaterThan(15);
    for (String part : messageParts) {
      assertThat(message).contains(part);
    }
    assertNoArtifacts(jobId);
    return j;
  }

  static void assertNoArtifacts(String jobId) throws IOException {
    Path job = LocalRole.storageRoot().resolve("jobs").resolve(jobId);
    if (Files.exists(job)) {
      try (Stream<Path> files = Files.walk(job)) {
        assertThat(files.filter(Files::isRegularFile).toList()).as("artifacts left for " + jobId).isEmpty();
      }
    }
  }

  @Test
  void missingFile() throws Exception {
    Path missing = LocalRole.newDir("missing").resolve("nope.mp4");
    failed("bad-missing", missing.toString(), "SourceNotFound", "nope.mp4");
  }

  @Test
  void zeroByteFile() throws Exception {
    Path empty = Files.createFile(LocalRole.newDir("empty").resolve("empty.mp4"));
    failed("bad-empty", empty.toString(), "SourceEmpty", "empty");
  }

  @Test
  void textFileNamedMp4() throws Exception {
    Path text = LocalRole.newDir("text").resolve("notes.mp4");
    Files.writeString(text, "these are meeting notes, not a video\n".repeat(50), StandardCharsets.UTF_8);
    failed("bad-text", text.toString(), "UnsupportedMedia");
  }

  @Test
  void truncatedMp4() throws Exception {
    // Without +faststart the index (moov) is written last: cutting the file loses it, as an interrupted upload does.
    Path whole = MediaFixtures.mp4H264Aac(LocalRole.newDir("truncated"), 4);
    Path cut = MediaFixtures.truncated(whole, whole.resolveSibling("truncated.mp4"), Files.size(whole) * 2 / 3);
    failed("bad-truncated", cut.toString(), "UnsupportedMedia");
  }

  @Test
  void faststartMp4CutToItsFirst60KbIsSourceTruncated() throws Exception {
    // Index first (as web uploads are): the cut file still opens and declares 20 s, but only a fraction decodes.
    Path dir = LocalRole.newDir("cut-faststart");
    Path whole = MediaFixtures.faststart(MediaFixtures.mp4H264Aac(dir, 20), dir.resolve("fast.mp4"));
    Path cut = MediaFixtures.truncated(whole, dir.resolve("cut.mp4"), 60_000);
    failed("bad-cut-faststart", cut.toString(), "SourceTruncated", "truncated source: only ", "declares 20.0");
  }

  @Test
  void anAudioTrackTheSourceLacks() throws Exception {
    Path source = MediaFixtures.silentFirstTrack(LocalRole.newDir("tracks"), 2, false);
    ProcessCommandTest.Run run =
        ProcessCommandTest.process(source.toString(), "--job-id", "bad-track", "--audio-track", "7");
    JsonNode j = run.json();
    assertThat(j.path("status").asText()).as(j.toPrettyString()).isEqualTo("FAILED");
    assertThat(j.path("error").path("type").asText()).isEqualTo("InvalidRequest");
    assertThat(j.path("error").path("message").asText()).contains("no audio stream with index 7", "1 (eng)");
    assertNoArtifacts("bad-track");
  }

  @Test
  void videoWithoutAudio() throws Exception {
    Path silent = MediaFixtures.videoOnlyH264(LocalRole.newDir("noaudio"), 2, 320, 240);
    failed("bad-noaudio", silent.toString(), "NoAudioStream", "no audio stream");
  }

  @Test
  void unsupportedSchemeIsRefusedBeforeAJobStarts() throws Exception {
    // The download's own source check runs at submit (JobService): no job starts, the usage error names the scheme.
    ProcessCommandTest.Run run = ProcessCommandTest.process("ftp://example.com/talk.mp4", "--job-id", "bad-scheme");
    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr()).contains("'ftp'");
    assertNoArtifacts("bad-scheme");
  }

  @Test
  void tooManyHighlightsAreRefusedBeforeAJobStarts() throws Exception {
    // The same rule as REST (HighlightOptions.requireLimits, at JobRequest.Builder.build): usage error, no job.
    Path source = MediaFixtures.mp4H264Aac(LocalRole.newDir("bounds"), 2);
    ProcessCommandTest.Run many =
        ProcessCommandTest.process(source.toString(), "--job-id", "bad-many-highlights", "--max-highlights", "50");
    assertThat(many.exitCode()).as(many.stderr()).isEqualTo(2);
    assertThat(many.stderr()).contains("highlights.maxCount must be 0 to 20", "was 50");
    assertNoArtifacts("bad-many-highlights");
  }

  @Test
  void http404() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setResponseCode(404).setBody("not found"));
      server.start();
      String url = server.url("/videos/gone.mp4").toString();
      failed("bad-404", url, "SourceNotFound", "404");
      assertThat(server.getRequestCount()).as("a 404 is not retried").isEqualTo(1);
    }
  }

  @Test
  void fileOverTheSizeLimit() throws Exception {
    Path big = LocalRole.newDir("big").resolve("big.mp4");
    Files.write(big, new byte[3_500_000]);
    failed("bad-too-large", big.toString(), "SourceTooLarge", "3000000");
  }

  @Test
  void duplicateJobIdIsRefusedNotRunTwice() throws Exception {
    Path missing = LocalRole.newDir("dup").resolve("nope.mp4");
    failed("dup-job", missing.toString(), "SourceNotFound");

    ProcessCommandTest.Run second = ProcessCommandTest.process(missing.toString(), "--job-id", "dup-job");

    assertThat(second.exitCode()).isEqualTo(2);
    assertThat(second.stderr()).contains("already exists");
  }
}

package io.videopipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessOptionsTest {

  @Test
  void aLocalFileNamedOnTheCommandLineAllowsItsDirectory() {
    ProcessCommand.Options o = ProcessCommand.Options.parse(new String[] {"/videos/talks/keynote.mp4", "--engine", "local"});

    assertThat(ProcessCommand.springArgs(o)).containsExactly("--videopipe.download.local-roots=.,/videos/talks");
  }

  @Test
  void explicitRootsAndUrlsAreLeftAlone() {
    ProcessCommand.Options explicit =
        ProcessCommand.Options.parse(new String[] {"/videos/a.mp4", "--videopipe.download.local-roots=/srv/media"});
    ProcessCommand.Options url = ProcessCommand.Options.parse(new String[] {"https://example.com/a.mp4"});

    assertThat(ProcessCommand.springArgs(explicit)).containsExactly("--videopipe.download.local-roots=/srv/media");
    assertThat(ProcessCommand.springArgs(url)).isEmpty();
  }

  @Test
  void relativePathsBecomeAbsolute() {
    assertThat(ProcessCommand.sourceArgument("samples/talk.mp4"))
        .isEqualTo(Path.of("samples/talk.mp4").toAbsolutePath().normalize().toString());
    assertThat(ProcessCommand.sourceArgument("gs://bucket/a.mp4")).isEqualTo("gs://bucket/a.mp4");
  }
}

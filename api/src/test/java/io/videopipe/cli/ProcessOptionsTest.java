package io.videopipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.videopipe.clip.ClipOptions;
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

  @Test
  void clipOptionsComeFromTheCommandLineAndDefaultToTheR128Target() {
    ProcessCommand.Options plain = ProcessCommand.Options.parse(new String[] {"a.mp4"});
    ProcessCommand.Options shorts =
        ProcessCommand.Options.parse(new String[] {"a.mp4", "--vertical", "--target-lufs", "-16"});

    assertThat(plain.clips()).isEqualTo(ClipOptions.defaults());
    assertThat(shorts.clips()).isEqualTo(new ClipOptions(-16, -1, true, false));
    ProcessCommand.Options square =
        ProcessCommand.Options.parse(new String[] {"a.mp4", "--square", "--highlight-word"});
    assertThat(square.clips()).isEqualTo(new ClipOptions(-14, -1, false, true, ClipOptions.SQUARE, true));
    assertThat(ProcessCommand.Options.parse(new String[] {"a.mp4", "--aspect", "9:16", "--captions"}).clips())
        .isEqualTo(new ClipOptions(-14, -1, true, true));
    assertThat(ProcessCommand.Options.parse(new String[] {"a.mp4", "--aspects", "source,9:16,1:1"}).clips()
        .outputAspects()).containsExactly("source", "9:16", "1:1");
    assertThatThrownBy(() -> ProcessCommand.Options.parse(new String[] {"a.mp4", "--square", "--aspects", "source,1:1"}))
        .hasMessageContaining("aspect 1:1 contradicts aspects [source, 1:1]");
    assertThatThrownBy(() -> ProcessCommand.Options.parse(new String[] {"a.mp4", "--burn-captions"}))
        .hasMessage("unknown option --burn-captions");
    assertThatThrownBy(() -> ProcessCommand.Options.parse(new String[] {"a.mp4", "--target-lufs", "loud"}))
        .hasMessage("--target-lufs needs a number, got 'loud'");
    assertThatThrownBy(() -> ProcessCommand.Options.parse(new String[] {"a.mp4", "--target-lufs", "-2"}))
        .hasMessageContaining("targetLufs must be between -40 and -5 LUFS");
  }

  @Test
  void audioTrackPicksTheSourcesTrack() {
    assertThat(ProcessCommand.Options.parse(new String[] {"a.mp4"}).audioTrack()).isNull();
    assertThat(ProcessCommand.Options.parse(new String[] {"a.mp4", "--audio-track", "2"}).audioTrack()).isEqualTo("2");
    assertThat(ProcessCommand.Options.parse(new String[] {"a.mp4", "--audio-track", "fr"}).audioTrack())
        .isEqualTo("fr");
    assertThatThrownBy(() -> ProcessCommand.Options.parse(new String[] {"a.mp4", "--audio-track"}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

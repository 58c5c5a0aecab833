package io.videopipe.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.videopipe.clip.ClipFormat;
import io.videopipe.clip.RenderedClip;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClipFileTest {
  static ClipFormat frame(String aspect, String name) {
    return new ClipFormat(aspect, name, "file:///s/jobs/j/clips/" + name, 360, 360, -14, -1.5, 1000, "centre", null, 2);
  }

  @Test
  void everyFrameOfEveryClipHasADownloadLinkThatParsesBackToItsFile() {
    RenderedClip one = new RenderedClip(1, "file:///s/jobs/j/clips/clip-01.mp4", "s", "v", 0, 5, 5, true, -14, -1.5,
        1, 1, 1000, "source", false,
        List.of(frame("source", "clip-01.mp4"), frame("9:16", "clip-01-9x16.mp4"), frame("1:1", "clip-01-1x1.mp4")));
    RenderedClip two = new RenderedClip(2, "file:///s/jobs/j/clips/clip-02.mp4", "s", "v", 5, 9, 4, true, -14, -1.5, 1,
        1, 1000);

    Map<String, String> links = ClipFile.links("j", List.of(one, two));

    assertThat(links).containsExactly(
        Map.entry("clip-01.mp4", "/api/v1/jobs/j/clips/1.mp4"),
        Map.entry("clip-01-9x16.mp4", "/api/v1/jobs/j/clips/1-9x16.mp4"),
        Map.entry("clip-01-1x1.mp4", "/api/v1/jobs/j/clips/1-1x1.mp4"),
        Map.entry("clip-01.srt", "/api/v1/jobs/j/clips/1.srt"),
        Map.entry("clip-01.vtt", "/api/v1/jobs/j/clips/1.vtt"),
        Map.entry("clip-02.mp4", "/api/v1/jobs/j/clips/2.mp4"),
        Map.entry("clip-02.srt", "/api/v1/jobs/j/clips/2.srt"),
        Map.entry("clip-02.vtt", "/api/v1/jobs/j/clips/2.vtt"));
    // each frame's fileName is its key, and each link serves that file
    for (ClipFormat f : one.formats()) {
      assertThat(links).containsKey(f.fileName());
    }
    links.forEach((name, link) ->
        assertThat(ClipFile.parse(link.substring(link.lastIndexOf('/') + 1), null).fileName()).isEqualTo(name));
  }

  @Test
  void framesAreMp4sOfKnownAspects() {
    assertThat(ClipFile.parse("3-9x16", null)).isEqualTo(new ClipFile(3, "mp4", "9:16"));
    assertThat(ClipFile.parse("3-source.mp4", null).fileName()).isEqualTo("clip-03-source.mp4");
    assertThatThrownBy(() -> ClipFile.parse("3-4x3", null)).hasMessageContaining("names no frame");
    assertThatThrownBy(() -> ClipFile.parse("3-1x1", "vtt")).hasMessageContaining("a frame is an mp4");
  }
}

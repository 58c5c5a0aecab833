package io.videopipe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.videopipe.parakeet.SyntheticParakeet;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parakeet section reads bench-parakeet's table into figures (synthetic model directory, real ONNX Runtime). */
class ParakeetSectionTest {
  /** 12.3 s of espeak-ng speech, 16 kHz mono, committed for the engine tests. */
  static final Path SPEECH =
      Path.of("..", "activities-cpu", "src", "test", "resources", "speech", "three-sentences.wav")
          .toAbsolutePath()
          .normalize();

  @TempDir Path dir;

  @Test
  void everyStageBecomesAFigure() throws Exception {
    Path model = SyntheticParakeet.writeDesigned(dir.resolve("model"));
    Section s = TranscribeBench.parakeet(model, SPEECH, 12.3, 1);

    assertThat(s.status()).as(s.notes().toString()).isEqualTo(Section.Status.OK);
    assertThat(s.figures())
        .extracting(Figure::key)
        .containsExactly("vadRtfx", "frontendRtfx", "encoderRtfx", "decodingRtfx", "overallRtfx");
    assertThat(s.figures()).allSatisfy(f -> assertThat(f.value()).isPositive());
  }

  @Test
  void withoutAModelTheSectionIsSkippedWithTheReason() {
    Section s = TranscribeBench.parakeet(null, null, 0, 0);
    assertThat(s.status()).isEqualTo(Section.Status.SKIPPED);
    assertThat(s.notes()).singleElement().asString().contains("--parakeet-model");
  }

  @Test
  void aBrokenModelDirectoryFailsTheSectionWithTheCause() throws Exception {
    Section s = TranscribeBench.parakeet(dir.resolve("no-model"), SPEECH, 12.3, 1);
    assertThat(s.status()).isEqualTo(Section.Status.FAILED);
    assertThat(s.notes()).singleElement().asString().contains("bench-parakeet exit");
  }
}

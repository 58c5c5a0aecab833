package io.videopipe.transcribe;

import static org.assertj.core.api.Assertions.assertThat;

import io.videopipe.transcribe.SilenceSplitter.Stretch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SilenceSplitterTest {
  private static final int FRAME = 160;

  @Test
  void shortAudioIsOneStretch() {
    float[] energy = loud(1300);

    assertThat(SilenceSplitter.split(energy, FRAME, 1300L * FRAME, 1000, 30))
        .containsExactly(new Stretch(0, 1300L * FRAME));
  }

  @Test
  void cutsInTheMiddleOfTheQuietestWindow() {
    float[] energy = loud(3000);
    quiet(energy, 780, 820, 1e-6f);
    quiet(energy, 1150, 1190, 0f);
    quiet(energy, 1000, 1005, 0f); // too short to beat the 40-frame pause

    List<Stretch> stretches = SilenceSplitter.split(energy, FRAME, 3000L * FRAME, 1000, 30);

    assertThat(stretches.get(0).end()).isBetween(1150L * FRAME + 15 * FRAME, 1190L * FRAME - 15 * FRAME);
    assertContiguous(stretches, 3000L * FRAME);
  }

  @Test
  void withoutPausesCutsAtTheTarget() {
    List<Stretch> stretches = SilenceSplitter.split(loud(5000), FRAME, 5000L * FRAME, 1000, 30);

    assertThat(stretches).hasSize(5);
    assertThat(stretches.get(0).end()).isEqualTo(1000L * FRAME);
    assertContiguous(stretches, 5000L * FRAME);
  }

  @Test
  void stretchesStayWithinTwoThirdsAndFourThirdsOfTheTarget() {
    float[] energy = new float[20_000];
    for (int i = 0; i < energy.length; i++) {
      energy[i] = (float) (1 + Math.sin(i * 0.013) * Math.sin(i * 0.0007));
    }
    long total = 20_000L * FRAME - 77;

    List<Stretch> stretches = SilenceSplitter.split(energy, FRAME, total, 1000, 30);

    assertContiguous(stretches, total);
    for (Stretch s : stretches.subList(0, stretches.size() - 1)) {
      assertThat(s.end() - s.start()).isBetween(666L * FRAME, 1334L * FRAME);
    }
  }

  @Test
  void frameEnergiesAreMeanSquares(@TempDir Path dir) throws Exception {
    short[] samples = new short[FRAME * 2 + 10];
    Arrays.fill(samples, 0, FRAME, (short) 16384);
    Path wav = dir.resolve("a.wav");
    byte[] data = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      data[2 * i] = (byte) samples[i];
      data[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    byte[] header = SpeechFixtures.header(data.length);
    byte[] file = Arrays.copyOf(header, header.length + data.length);
    System.arraycopy(data, 0, file, header.length, data.length);
    Files.write(wav, file);

    float[] energy = SilenceSplitter.frameEnergies(wav, WavFormat.read(wav), FRAME);

    assertThat(energy).containsExactly(0.25f, 0f, 0f);
  }

  private static float[] loud(int frames) {
    float[] energy = new float[frames];
    Arrays.fill(energy, 0.1f);
    return energy;
  }

  private static void quiet(float[] energy, int from, int to, float value) {
    Arrays.fill(energy, from, to, value);
  }

  private static void assertContiguous(List<Stretch> stretches, long total) {
    assertThat(stretches.get(0).start()).isZero();
    assertThat(stretches.get(stretches.size() - 1).end()).isEqualTo(total);
    for (int i = 1; i < stretches.size(); i++) {
      assertThat(stretches.get(i).start()).isEqualTo(stretches.get(i - 1).end());
      assertThat(stretches.get(i).end()).isGreaterThan(stretches.get(i).start());
    }
  }
}

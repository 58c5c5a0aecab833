package io.videopipe.parakeet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Java frontend against golden values of scripts/make-frontend-golden.py (an independent numpy implementation). */
class MelFrontendTest {
  /** Java works in double, numpy in float64; the golden file is float32: 1e-4 covers the rounding, nothing more. */
  static final double TOLERANCE = 1e-4;

  static byte[] resource(String name) throws IOException {
    try (InputStream in = MelFrontendTest.class.getResourceAsStream("/parakeet/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  static float[] input() throws IOException {
    ByteBuffer b = ByteBuffer.wrap(resource("frontend-input.s16le")).order(ByteOrder.LITTLE_ENDIAN);
    float[] x = new float[b.remaining() / 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = b.getShort() / 32768f;
    }
    return x;
  }

  @Test
  void matchesTheNumpyGoldenValues() throws IOException {
    float[] audio = input();
    ByteBuffer g = ByteBuffer.wrap(resource("frontend-golden.f32le")).order(ByteOrder.LITTLE_ENDIAN);
    int frames = MelFrontend.validFrames(audio.length);
    assertThat(frames).isEqualTo(50);
    assertThat(g.remaining()).isEqualTo(4 * MelFrontend.N_MELS * frames);

    // A stride larger than the frames, as inside a padded batch: the tail must be zero.
    int stride = frames + 7;
    float[] out = new float[MelFrontend.N_MELS * stride];
    java.util.Arrays.fill(out, Float.NaN);
    assertThat(new MelFrontend().compute(audio, 0, audio.length, out, 0, stride)).isEqualTo(frames);

    double maxError = 0;
    for (int m = 0; m < MelFrontend.N_MELS; m++) {
      for (int f = 0; f < frames; f++) {
        double expected = g.getFloat();
        double actual = out[m * stride + f];
        assertThat(actual).as("mel %d frame %d", m, f).isCloseTo(expected, within(TOLERANCE));
        maxError = Math.max(maxError, Math.abs(actual - expected));
      }
      for (int f = frames; f < stride; f++) {
        assertThat(out[m * stride + f]).isZero();
      }
    }
    System.out.printf("frontend: max abs error vs numpy %.2e%n", maxError);
  }

  @Test
  void readsItsSliceOfALongerBufferAndWritesItsItemOfABatch() throws IOException {
    float[] audio = input();
    float[] single = new float[MelFrontend.N_MELS * 50];
    new MelFrontend().compute(audio, 0, audio.length, single, 0, 50);

    float[] longer = new float[audio.length + 1000];
    System.arraycopy(audio, 0, longer, 600, audio.length);
    java.util.Arrays.fill(longer, 0, 600, 0.9f);
    float[] batch = new float[2 * MelFrontend.N_MELS * 50];
    new MelFrontend().compute(longer, 600, audio.length, batch, MelFrontend.N_MELS * 50, 50);
    for (int i = 0; i < single.length; i++) {
      assertThat(batch[MelFrontend.N_MELS * 50 + i]).isEqualTo(single[i]);
    }
  }

  @Test
  void realFftMatchesADirectDft() {
    Random random = new Random(7);
    double[] x = new double[64];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextGaussian();
    }
    double[] power = new double[33];
    new RealFft(64).powerSpectrum(x, power);
    for (int k = 0; k <= 32; k++) {
      double re = 0;
      double im = 0;
      for (int n = 0; n < 64; n++) {
        re += x[n] * Math.cos(2 * Math.PI * k * n / 64);
        im -= x[n] * Math.sin(2 * Math.PI * k * n / 64);
      }
      assertThat(power[k]).as("bin " + k).isCloseTo(re * re + im * im, within(1e-9));
    }
  }
}

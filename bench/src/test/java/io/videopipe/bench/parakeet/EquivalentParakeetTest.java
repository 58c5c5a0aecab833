package io.videopipe.bench.parakeet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.videopipe.bench.parakeet.EquivalentParakeet.Config;
import io.videopipe.bench.parakeet.EquivalentParakeet.Precision;
import io.videopipe.parakeet.ParakeetEngine;
import io.videopipe.parakeet.ParakeetModel;
import io.videopipe.parakeet.Pcm16Wav;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The compute-equivalent generator on a small configuration: the real export's names and shapes, loadable and runnable. */
@Timeout(180)
class EquivalentParakeetTest {
  /** 2 conformer layers of width 64, the real decoder sizes (LSTM 2x640, 1025 tokens + 5 durations). */
  static final Config SMALL = new Config(2, 64, 4, 256, 9, 16, 640, 2, 640, 1025, 500);

  static final Path SPEECH =
      Path.of("..", "activities-cpu", "src", "test", "resources", "speech", "three-sentences.wav")
          .toAbsolutePath()
          .normalize();

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"FP32, false", "FP32, true", "INT8, false"})
  void writesTheRealExportsNamesAndShapesAndTheEngineRunsOnIt(Precision precision, boolean external)
      throws Exception {
    Path model = EquivalentParakeet.write(dir.resolve("m"), SMALL, precision, external);
    boolean int8 = precision == Precision.INT8;
    Path encoderFile = model.resolve(int8 ? ParakeetModel.ENCODER_INT8 : ParakeetModel.ENCODER);
    assertThat(Files.exists(model.resolve(encoderFile.getFileName() + ".data"))).isEqualTo(external);
    assertThat(Files.readAllLines(model.resolve(ParakeetModel.VOCAB)))
        .hasSize(1025)
        .startsWith("<unk> 0")
        .endsWith("<blk> 1024");
    assertThat(Files.readString(model.resolve(ParakeetModel.CONFIG))).contains("speed, not accuracy");
    assertThat(EquivalentParakeet.isGenerated(model, SMALL, precision)).isTrue();
    assertThat(EquivalentParakeet.isGenerated(model, EquivalentParakeet.Config.parakeetTdt06b(), precision))
        .isFalse();

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession encoder = env.createSession(encoderFile.toString(), new OrtSession.SessionOptions())) {
      assertThat(encoder.getInputNames()).containsExactly("audio_signal", "length");
      assertThat(encoder.getOutputNames()).containsExactly("outputs", "encoded_lengths");
      assertThat(shape(encoder.getInputInfo(), "audio_signal")).containsExactly(-1, 128, -1);
      assertThat(shape(encoder.getOutputInfo(), "outputs")).containsExactly(-1, 64, -1);
      // Two items of 801 and 400 feature frames: 8x subsampling to 101 and 50 frames, padded to 101.
      float[] features = new float[2 * 128 * 801];
      for (int i = 0; i < features.length; i++) {
        features[i] = (float) Math.sin(i * 0.01);
      }
      try (OnnxTensor audio = OnnxTensor.createTensor(env, FloatBuffer.wrap(features), new long[] {2, 128, 801});
          OnnxTensor length = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {801, 400}), new long[] {2});
          OrtSession.Result r = encoder.run(Map.of("audio_signal", audio, "length", length))) {
        OnnxTensor out = (OnnxTensor) r.get("outputs").orElseThrow();
        assertThat(out.getInfo().getShape()).containsExactly(2, 64, 101);
        assertThat(((long[]) r.get("encoded_lengths").orElseThrow().getValue())).containsExactly(101, 50);
        float[] values = new float[2 * 64 * 101];
        out.getFloatBuffer().get(values);
        for (float v : values) {
          assertThat(Float.isFinite(v)).isTrue();
        }
      }
    }
    String decoderFile = model.resolve(int8 ? ParakeetModel.DECODER_JOINT_INT8 : ParakeetModel.DECODER_JOINT).toString();
    try (OrtSession decoder = env.createSession(decoderFile, new OrtSession.SessionOptions())) {
      assertThat(decoder.getInputNames())
          .containsExactly("encoder_outputs", "targets", "target_length", "input_states_1", "input_states_2");
      assertThat(decoder.getOutputNames()).containsExactly("outputs", "output_states_1", "output_states_2");
      assertThat(shape(decoder.getInputInfo(), "encoder_outputs")).containsExactly(-1, 64, 1);
      assertThat(shape(decoder.getInputInfo(), "input_states_1")).containsExactly(2, -1, 640);
      assertThat(shape(decoder.getOutputInfo(), "outputs")).containsExactly(-1, 1, 1, 1030);
    }

    // ParakeetModel's own validation (names, dtypes, joint width = vocab + 5 durations) and a whole transcription.
    ParakeetEngine.Settings settings =
        new ParakeetEngine.Settings(model, new ParakeetModel.Options(int8, false, 0, 0), 20, 4);
    try (ParakeetEngine engine = ParakeetEngine.load(settings)) {
      ParakeetEngine.Result result = engine.transcribe(Pcm16Wav.read(SPEECH), "en", null);
      assertThat(result.segments()).isEqualTo(3);
      assertThat(result.timings().encoderSec()).isPositive();
      assertThat(result.timings().decoderSec()).isPositive();
      // Random weights: words are noise, but only the vocabulary's, at about the pace of speech (the joint's gate
      // emits on about half the frames, durations 1-4): 2-12 tokens per second of the 12.3 s.
      assertThat(result.transcript().words())
          .allSatisfy(w -> assertThat(w.text()).matches("(w[0-9]+|x[0-9]+)+"));
      String text = result.transcript().text().replace(" ", "");
      int tokens = text.split("(?=w|x)").length;
      assertThat(tokens).as(result.transcript().text()).isBetween(25, 150);
    }
  }

  @Test
  void theFullConfigurationIsParakeetTdt06bSized() {
    Config full = Config.parakeetTdt06b();
    assertThat(List.of(full.layers(), full.dModel(), full.heads(), full.ffDim(), full.convKernel()))
        .containsExactly(24, 1024, 8, 4096, 9);
    // About 0.6 B parameters in the encoder: 2.4 GB in fp32, over protobuf's 2 GB, so its weights go external.
    assertThat(full.encoderParameters()).isBetween(580_000_000L, 640_000_000L);
  }

  private static long[] shape(Map<String, NodeInfo> infos, String name) {
    return ((TensorInfo) infos.get(name).getInfo()).getShape();
  }
}

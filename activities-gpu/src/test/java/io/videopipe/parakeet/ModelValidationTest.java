package io.videopipe.parakeet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong model directory fails at load with a message that names the problem. */
class ModelValidationTest {
  @TempDir Path dir;

  @Test
  void aMissingFileIsNamed() throws Exception {
    SyntheticParakeet.writeDesigned(dir);
    Files.delete(dir.resolve("decoder_joint-model.onnx"));
    assertThatThrownBy(() -> ParakeetModel.load(dir, ParakeetModel.Options.cpu()))
        .isInstanceOf(InvalidModelException.class)
        .hasMessage(
            "Parakeet model directory " + dir + " has no decoder_joint-model.onnx (expected encoder-model.onnx, "
                + "decoder_joint-model.onnx, vocab.txt, config.json; scripts/fetch-parakeet-model.sh downloads them)");
  }

  @Test
  void int8SelectsTheInt8Files() throws Exception {
    SyntheticParakeet.writeDesigned(dir);
    assertThatThrownBy(() -> ParakeetModel.load(dir, new ParakeetModel.Options(true, false, 0, 0)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("has no encoder-model.int8.onnx");
    Files.copy(dir.resolve("encoder-model.onnx"), dir.resolve("encoder-model.int8.onnx"));
    Files.copy(dir.resolve("decoder_joint-model.onnx"), dir.resolve("decoder_joint-model.int8.onnx"));
    try (ParakeetModel model = ParakeetModel.load(dir, new ParakeetModel.Options(true, false, 0, 0))) {
      assertThat(model.vocabulary().size()).isEqualTo(SyntheticParakeet.VOCAB.size());
    }
  }

  @Test
  void aVocabularyThatDoesNotMatchTheJointWidthIsReported() throws Exception {
    SyntheticParakeet.writeDesigned(dir);
    List<String> vocab = new ArrayList<>(SyntheticParakeet.VOCAB);
    vocab.add(vocab.size() - 1, "\u2581extra");
    StringBuilder v = new StringBuilder();
    for (int i = 0; i < vocab.size(); i++) {
      v.append(vocab.get(i)).append(' ').append(i).append('\n');
    }
    Files.writeString(dir.resolve("vocab.txt"), v);
    assertThatThrownBy(() -> ParakeetModel.load(dir, ParakeetModel.Options.cpu()))
        .isInstanceOf(InvalidModelException.class)
        .hasMessage("decoder_joint-model.onnx: the joint outputs 14 logits, expected 15 = 10 tokens of vocab.txt + 5 durations");
  }

  @Test
  void aMissingOrMalformedVocabularyIsReported() throws Exception {
    SyntheticParakeet.writeDesigned(dir);
    Files.writeString(dir.resolve("vocab.txt"), "<unk> 0\n\u2581the 1\n");
    assertThatThrownBy(() -> ParakeetModel.load(dir, ParakeetModel.Options.cpu()))
        .isInstanceOf(InvalidModelException.class)
        .hasMessage(dir.resolve("vocab.txt") + ": the last token must be the blank <blk>, is '\u2581the'");
    Files.delete(dir.resolve("vocab.txt"));
    assertThatThrownBy(() -> ParakeetModel.load(dir, ParakeetModel.Options.cpu()))
        .hasMessageContaining("has no vocab.txt");
  }

  @Test
  void swappedModelFilesAreReportedByTheirNames() throws Exception {
    SyntheticParakeet.writeDesigned(dir);
    Files.copy(dir.resolve("encoder-model.onnx"), dir.resolve("decoder_joint-model.onnx"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> ParakeetModel.load(dir, ParakeetModel.Options.cpu()))
        .isInstanceOf(InvalidModelException.class)
        .hasMessage("decoder_joint-model.onnx: inputs are [audio_signal, length], expected "
            + "[encoder_outputs, targets, target_length, input_states_1, input_states_2]");
  }

  @Test
  void aMissingDirectoryIsReported() {
    assertThatThrownBy(() -> ParakeetModel.load(dir.resolve("nope"), ParakeetModel.Options.cpu()))
        .hasMessage("Parakeet model directory " + dir.resolve("nope") + " does not exist");
  }
}

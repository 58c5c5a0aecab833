package io.videopipe.parakeet;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a synthetic Parakeet-TDT model directory: real ONNX files with the real input/output names, dtypes and shapes
 * (encoder dim 1024, decoder states [2, B, 640]) whose joint follows a script instead of a network.
 *
 * <p>The encoder ignores the sound: channel 0 of output frame {@code t} is {@code t} (subsampling 8, {@code
 * encoded_lengths = ceil(length / 8)}). The decoder's state counts accepted emissions: {@code output_states_1 =
 * input_states_1 + 1}, {@code output_states_2 = input_states_2 + 2}. The joint looks up the row for (frame {@code t},
 * emissions {@code k}) and answers "▁bad" when the previous token is not the one the script emitted at {@code k - 1} or
 * the two states disagree. So only a decoder that feeds back the emitted token and both states, and moves by the
 * predicted durations, reads the script's rows; any other lands on "▁trap" rows or "▁bad".
 */
public final class SyntheticParakeet {
  public static final List<String> VOCAB =
      List.of("<unk>", "\u2581the", "\u2581pip", "e", "line", "\u2581works", "\u2581trap", "\u2581bad", "<blk>");
  static final int THE = 1;
  static final int PIP = 2;
  static final int E = 3;
  static final int LINE = 4;
  static final int WORKS = 5;
  static final int TRAP = 6;
  static final int BAD = 7;
  static final int BLANK = 8;
  static final int DIM = 1024;
  static final int HIDDEN = 640;
  static final int KMAX = 16;

  /** The script's answer: a token (or blank), a duration index and how sure the token is (its logit). */
  record Row(int token, int duration, float logit) {}

  /** What {@link #writeDesigned} encodes, per segment: the words and their times in seconds of the segment. */
  public static final String DESIGNED_TEXT = "the pipeline works";

  private SyntheticParakeet() {}

  /**
   * The designed script: t0 blank with duration 0 (must still advance); t1 "▁the" (duration 0) then blank skipping 2;
   * t3 "▁pip", "e", "line" on one frame; t4 blank skipping 4; t8 "▁works" skipping 3; blanks after t11. Skipped
   * frames hold "▁trap". Words: the 0.08-0.16, pipeline 0.24-0.32, works 0.64-0.88.
   */
  public static Path writeDesigned(Path dir) throws IOException {
    int tmax = 12;
    Row[][] rows = new Row[tmax + 1][KMAX];
    for (Row[] r : rows) {
      java.util.Arrays.fill(r, new Row(TRAP, 1, 6f));
    }
    rows[0][0] = new Row(BLANK, 0, 6f);
    rows[1][0] = new Row(THE, 0, 6f);
    rows[1][1] = new Row(BLANK, 2, 6f);
    rows[3][1] = new Row(PIP, 0, 7f);
    rows[3][2] = new Row(E, 0, 5f);
    rows[3][3] = new Row(LINE, 1, 9f);
    rows[4][4] = new Row(BLANK, 4, 6f);
    rows[8][4] = new Row(WORKS, 3, 4f);
    rows[11][5] = new Row(BLANK, 1, 6f);
    // Frames from 12 on: silence, skipped 4 at a time.
    java.util.Arrays.fill(rows[tmax], new Row(BLANK, 4, 6f));
    int[] expectedPrev = new int[KMAX];
    java.util.Arrays.fill(expectedPrev, -1);
    int[] emitted = {BLANK, THE, PIP, E, LINE, WORKS};
    System.arraycopy(emitted, 0, expectedPrev, 0, emitted.length);
    write(dir, VOCAB, rows, expectedPrev);
    return dir;
  }

  /** Every step on frame 0 emits "▁the" with duration 0: only the per-frame cap moves the decoder on. */
  public static Path writeCapped(Path dir) throws IOException {
    Row[][] rows = new Row[2][KMAX];
    java.util.Arrays.fill(rows[0], new Row(THE, 0, 6f));
    java.util.Arrays.fill(rows[1], new Row(BLANK, 1, 6f));
    int[] expectedPrev = new int[KMAX];
    java.util.Arrays.fill(expectedPrev, THE);
    expectedPrev[0] = BLANK;
    write(dir, VOCAB, rows, expectedPrev);
    return dir;
  }

  /** Softmax probability of a row's token among the vocabulary (what the decoder reports as confidence). */
  static double confidence(float logit) {
    return Math.exp(logit) / (Math.exp(logit) + VOCAB.size() - 1);
  }

  static void write(Path dir, List<String> vocab, Row[][] rows, int[] expectedPrev) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve(ParakeetModel.ENCODER), encoder().toByteArray());
    Files.write(dir.resolve(ParakeetModel.DECODER_JOINT), decoder(vocab.size(), rows, expectedPrev).toByteArray());
    StringBuilder v = new StringBuilder();
    for (int i = 0; i < vocab.size(); i++) {
      v.append(vocab.get(i)).append(' ').append(i).append('\n');
    }
    Files.writeString(dir.resolve(ParakeetModel.VOCAB), v, StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve(ParakeetModel.CONFIG),
        "{\"model_type\": \"nemo-conformer-tdt\", \"features_size\": 128, \"subsampling_factor\": 8}\n");
  }

  private static ModelProto encoder() {
    GraphProto.Builder g = GraphProto.newBuilder().setName("synthetic_encoder");
    g.addInput(info("audio_signal", TensorProto.DataType.FLOAT, "B", 128, "T"));
    g.addInput(info("length", TensorProto.DataType.INT64, "B"));
    g.addOutput(info("outputs", TensorProto.DataType.FLOAT, "B", DIM, "T_out"));
    g.addOutput(info("encoded_lengths", TensorProto.DataType.INT64, "B"));
    g.addInitializer(ints("starts", 0)).addInitializer(ints("ends", Long.MAX_VALUE));
    g.addInitializer(ints("axis2", 2)).addInitializer(ints("steps", 8)).addInitializer(ints("axis1", 1));
    g.addInitializer(floats("zero", new long[] {}, 0f)).addInitializer(floats("one", new long[] {}, 1f));
    g.addInitializer(scalar("cumAxis", 2));
    g.addInitializer(ints("pads", 0, 0, 0, 0, DIM - 1, 0));
    g.addInitializer(scalar("seven", 7)).addInitializer(scalar("eight", 8));
    g.addNode(node("Slice", List.of("audio_signal", "starts", "ends", "axis2", "steps"), "sub"));
    g.addNode(node("ReduceSum", List.of("sub", "axis1"), "summed"));
    g.addNode(node("Mul", List.of("summed", "zero"), "zeros"));
    g.addNode(node("Add", List.of("zeros", "one"), "ones"));
    g.addNode(node("CumSum", List.of("ones", "cumAxis"), "positions"));
    g.addNode(node("Sub", List.of("positions", "one"), "frameIndex"));
    g.addNode(node("Pad", List.of("frameIndex", "pads"), "outputs"));
    g.addNode(node("Add", List.of("length", "seven"), "lengthUp"));
    g.addNode(node("Div", List.of("lengthUp", "eight"), "encoded_lengths"));
    return model(g);
  }

  private static ModelProto decoder(int vocab, Row[][] rows, int[] expectedPrev) {
    int width = vocab + ParakeetModel.DURATIONS;
    int tmax = rows.length - 1;
    float[] table = new float[rows.length * KMAX * width];
    for (int t = 0; t < rows.length; t++) {
      for (int k = 0; k < KMAX; k++) {
        Row row = rows[t][k];
        int base = (t * KMAX + k) * width;
        table[base + row.token()] = row.logit();
        table[base + vocab + row.duration()] = 5f;
      }
    }
    float[] bad = new float[width];
    bad[BAD] = 6f;
    bad[vocab + 1] = 5f;

    GraphProto.Builder g = GraphProto.newBuilder().setName("synthetic_decoder_joint");
    g.addInput(info("encoder_outputs", TensorProto.DataType.FLOAT, "B", DIM, "one"));
    g.addInput(info("targets", TensorProto.DataType.INT32, "B", "U"));
    g.addInput(info("target_length", TensorProto.DataType.INT32, "B"));
    g.addInput(info("input_states_1", TensorProto.DataType.FLOAT, 2, "B", HIDDEN));
    g.addInput(info("input_states_2", TensorProto.DataType.FLOAT, 2, "B", HIDDEN));
    g.addOutput(info("outputs", TensorProto.DataType.FLOAT, "B", "T", "U", width));
    g.addOutput(info("output_states_1", TensorProto.DataType.FLOAT, 2, "B", HIDDEN));
    g.addOutput(info("output_states_2", TensorProto.DataType.FLOAT, 2, "B", HIDDEN));
    // Every slice keeps the batch axis (axis 0 of encoder_outputs and targets, axis 1 of the states): batch items
    // are decoded independently, as by the real LSTM.
    g.addInitializer(ints("origin", 0, 0)).addInitializer(ints("unit", 1, 1));
    g.addInitializer(ints("encAxes", 1, 2)).addInitializer(ints("stateAxes", 0, 2));
    g.addInitializer(ints("flat", -1)).addInitializer(ints("outShape", -1, 1, 1, width));
    g.addInitializer(ints("tmax", tmax)).addInitializer(ints("kmaxMinus1", KMAX - 1)).addInitializer(ints("kmax", KMAX));
    g.addInitializer(ints("axis1", 1));
    g.addInitializer(floats("table", new long[] {rows.length * KMAX, width}, table));
    g.addInitializer(floats("badRow", new long[] {1, width}, bad));
    g.addInitializer(TensorProto.newBuilder().setName("expectedPrev").setDataType(TensorProto.DataType.INT32_VALUE)
        .addDims(KMAX).addAllInt32Data(java.util.Arrays.stream(expectedPrev).boxed().toList()).build());
    g.addInitializer(floats("oneF", new long[] {}, 1f)).addInitializer(floats("twoF", new long[] {}, 2f));
    // t and k
    g.addNode(node("Slice", List.of("encoder_outputs", "origin", "unit", "encAxes"), "t3"));
    g.addNode(node("Reshape", List.of("t3", "flat"), "tF"));
    g.addNode(cast("tF", "tI", TensorProto.DataType.INT64));
    g.addNode(node("Min", List.of("tI", "tmax"), "tC"));
    g.addNode(node("Slice", List.of("input_states_1", "origin", "unit", "stateAxes"), "k3"));
    g.addNode(node("Reshape", List.of("k3", "flat"), "kF"));
    g.addNode(cast("kF", "kI", TensorProto.DataType.INT64));
    g.addNode(node("Min", List.of("kI", "kmaxMinus1"), "kC"));
    g.addNode(node("Mul", List.of("tC", "kmax"), "tRow"));
    g.addNode(node("Add", List.of("tRow", "kC"), "index"));
    g.addNode(node("Gather", List.of("table", "index"), "row"));
    // the previous token and the second state must agree with k
    g.addNode(node("Gather", List.of("expectedPrev", "kC"), "prevExpected"));
    g.addNode(node("Reshape", List.of("targets", "flat"), "prev"));
    g.addNode(node("Equal", List.of("prev", "prevExpected"), "prevOk"));
    g.addNode(node("Slice", List.of("input_states_2", "origin", "unit", "stateAxes"), "s3"));
    g.addNode(node("Reshape", List.of("s3", "flat"), "sF"));
    g.addNode(node("Mul", List.of("kF", "twoF"), "sExpected"));
    g.addNode(node("Equal", List.of("sF", "sExpected"), "stateOk"));
    g.addNode(node("And", List.of("prevOk", "stateOk"), "ok"));
    g.addNode(node("Unsqueeze", List.of("ok", "axis1"), "ok2"));
    g.addNode(node("Where", List.of("ok2", "row", "badRow"), "logits"));
    g.addNode(node("Reshape", List.of("logits", "outShape"), "outputs"));
    g.addNode(node("Add", List.of("input_states_1", "oneF"), "output_states_1"));
    g.addNode(node("Add", List.of("input_states_2", "twoF"), "output_states_2"));
    return model(g);
  }

  private static ModelProto model(GraphProto.Builder g) {
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("videopipe-synthetic-parakeet")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
        .setGraph(g)
        .build();
  }

  private static NodeProto node(String op, List<String> inputs, String output) {
    return NodeProto.newBuilder().setOpType(op).setName(output + "_" + op).addAllInput(inputs).addOutput(output).build();
  }

  private static NodeProto cast(String in, String out, TensorProto.DataType to) {
    return NodeProto.newBuilder().setOpType("Cast").setName(out + "_Cast").addInput(in).addOutput(out)
        .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
            .setI(to.getNumber()))
        .build();
  }

  private static TensorProto ints(String name, long... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
        .addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    return t.build();
  }

  private static TensorProto scalar(String name, long value) {
    return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addInt64Data(value)
        .build();
  }

  private static TensorProto floats(String name, long[] dims, float... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (long d : dims) {
      t.addDims(d);
    }
    List<Float> boxed = new ArrayList<>(values.length);
    for (float v : values) {
      boxed.add(v);
    }
    return t.addAllFloatData(boxed).build();
  }

  private static ValueInfoProto info(String name, TensorProto.DataType type, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof Integer i) {
        dim.setDimValue(i);
      } else {
        dim.setDimParam((String) d);
      }
      shape.addDim(dim);
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(
            TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
        .build();
  }
}

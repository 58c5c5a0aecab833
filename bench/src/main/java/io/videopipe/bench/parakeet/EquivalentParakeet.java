package io.videopipe.bench.parakeet;

import static io.videopipe.bench.parakeet.OnnxGraph.attr;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.videopipe.parakeet.ParakeetModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a compute-equivalent Parakeet-TDT-0.6B export: the real export's file names, input and output names, dtypes
 * and shapes (istupakov/parakeet-tdt-0.6b-v2-onnx layout), and the real architecture's cost, with RANDOM weights. It
 * measures speed, not accuracy: its transcripts are noise.
 *
 * <p>Encoder (FastConformer): 8x depthwise-striding conv subsampling (three stride-2 3x3 convolutions, 256 channels,
 * then a linear 4096 to d_model), then per layer a half-step feed-forward (d_model to ff to d_model, Swish), relative
 * position multi-head self-attention (q, k, v, out and the position projection; content and position scores), a
 * convolution module (pointwise to 2 d_model, GLU, depthwise kernel 9, batch norm, Swish, pointwise) and a second
 * half-step feed-forward, each behind a layer norm, and a final layer norm. Padded frames are masked out of attention.
 * One simplification: the position scores use T positions instead of the 2T-1 of Transformer-XL's relative shift
 * (attention scores are a few per cent of the encoder's work; the projections and feed-forwards dominate).
 *
 * <p>Decoder+joint: embedding of the previous token (vocab 1025 incl. blank), 2-layer LSTM of 640, joint projecting the
 * encoder frame (1024 to 640) and the prediction (640 to 640), ReLU, and the output layer to 1025 tokens + 5 durations;
 * a cheap gate then steers emissions to the pace of real speech (see {@code DecoderJoint}), so decoding makes as many
 * decoder+joint calls per second of audio as with real weights, not the per-frame cap's worth.
 *
 * <p>int8: every MatMul becomes DynamicQuantizeLinear + MatMulInteger (uint8 activations, int8 weights, per-tensor
 * scales), as ONNX Runtime's dynamic quantization writes them; convolutions, LSTM and norms stay fp32.
 */
public final class EquivalentParakeet {
  /** What the generated directory says about itself (config.json and the model files' producer name). */
  public static final String PRODUCER = "videopipe-parakeet-equivalent (random weights: speed, not accuracy)";

  /**
   * @param layers conformer layers
   * @param dModel encoder width (the decoder's {@code encoder_outputs} channels)
   * @param heads attention heads
   * @param ffDim feed-forward width
   * @param convKernel depthwise convolution kernel
   * @param subChannels channels of the subsampling convolutions
   * @param predHidden prediction network (LSTM) width
   * @param predLayers LSTM layers
   * @param jointHidden joint network width
   * @param vocab tokens including the blank (the last)
   * @param maxFrames longest encoder input in encoder frames (position table)
   */
  public record Config(
      int layers,
      int dModel,
      int heads,
      int ffDim,
      int convKernel,
      int subChannels,
      int predHidden,
      int predLayers,
      int jointHidden,
      int vocab,
      int maxFrames) {
    public Config {
      if (layers < 1 || dModel < heads || heads < 1 || dModel % heads != 0 || convKernel % 2 != 1 || vocab < 2) {
        throw new IllegalArgumentException("not a conformer configuration: " + this);
      }
    }

    /** Parakeet-TDT-0.6B (v2/v3). */
    public static Config parakeetTdt06b() {
      return new Config(24, 1024, 8, 4096, 9, 256, 640, 2, 640, 1025, 5000);
    }

    /** Encoder weights (parameters), for choosing embedded or external data. */
    public long encoderParameters() {
      long perLayer = 4L * dModel * ffDim + 8L * dModel * dModel + (long) dModel * convKernel;
      long sub = 9L * subChannels + 2 * (9L * subChannels + (long) subChannels * subChannels)
          + (long) subChannels * (MEL / 8) * dModel;
      return layers * perLayer + sub + (long) maxFrames * dModel;
    }
  }

  public enum Precision {
    FP32,
    INT8;

    public String dirName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final int MEL = 128;
  /** Over this much weight data the encoder's weights go to an external file (protobuf's limit is 2 GB). */
  static final long EMBED_LIMIT_BYTES = 1L << 30;

  private EquivalentParakeet() {}

  /** Where the generated models are cached: {@code ~/.cache/videopipe/parakeet-equivalent/{fp32,int8}}. */
  public static Path defaultCache(Precision precision) {
    return Path.of(System.getProperty("user.home"), ".cache", "videopipe", "parakeet-equivalent", precision.dirName());
  }

  /** Whether a directory already holds a complete generated model of this configuration and precision. */
  public static boolean isGenerated(Path dir, Config config, Precision precision) throws IOException {
    Path marker = dir.resolve(ParakeetModel.CONFIG);
    if (!Files.isRegularFile(marker) || !Files.isRegularFile(dir.resolve(ParakeetModel.VOCAB))) {
      return false;
    }
    String json = Files.readString(marker);
    return json.contains(configLine(config, precision))
        && Files.isRegularFile(dir.resolve(precision == Precision.INT8 ? ParakeetModel.ENCODER_INT8 : ParakeetModel.ENCODER))
        && Files.isRegularFile(
            dir.resolve(precision == Precision.INT8 ? ParakeetModel.DECODER_JOINT_INT8 : ParakeetModel.DECODER_JOINT));
  }

  /** Writes the model into {@code dir} (created; files of an earlier generation replaced), external data by size. */
  public static Path write(Path dir, Config config, Precision precision) throws IOException {
    long bytes = config.encoderParameters() * (precision == Precision.INT8 ? 1 : 4);
    return write(dir, config, precision, bytes > EMBED_LIMIT_BYTES);
  }

  /**
   * Writes the model; {@code externalData} puts the encoder's large weights in {@code <encoder>.data} next to it, as
   * the real fp32 export does.
   */
  public static Path write(Path dir, Config config, Precision precision, boolean externalData) throws IOException {
    Files.createDirectories(dir);
    // The config file goes last: its presence says the generation completed (see isGenerated).
    Files.deleteIfExists(dir.resolve(ParakeetModel.CONFIG));
    boolean int8 = precision == Precision.INT8;
    String encoderName = int8 ? ParakeetModel.ENCODER_INT8 : ParakeetModel.ENCODER;
    String decoderName = int8 ? ParakeetModel.DECODER_JOINT_INT8 : ParakeetModel.DECODER_JOINT;
    Path encoderFile = dir.resolve(encoderName);
    Path dataFile = dir.resolve(encoderName + ".data");
    Files.deleteIfExists(dataFile);
    try (OnnxGraph g = new OnnxGraph("parakeet_equivalent_encoder", externalData ? dataFile : null, 1)) {
      new Encoder(g, config, int8).build();
      g.writeModel(encoderFile, PRODUCER);
    }
    try (OnnxGraph g = new OnnxGraph("parakeet_equivalent_decoder_joint", null, 2)) {
      new DecoderJoint(g, config, int8).build();
      g.writeModel(dir.resolve(decoderName), PRODUCER);
    }
    StringBuilder vocab = new StringBuilder();
    vocab.append("<unk> 0\n");
    for (int i = 1; i < config.vocab() - 1; i++) {
      // Word starts and word pieces alternate, so the engine's word assembly has work like the real vocabulary's.
      vocab.append(i % 3 == 0 ? "x" + i : "\u2581w" + i).append(' ').append(i).append('\n');
    }
    vocab.append("<blk> ").append(config.vocab() - 1).append('\n');
    Files.writeString(dir.resolve(ParakeetModel.VOCAB), vocab, StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve(ParakeetModel.CONFIG),
        "{\n"
            + "  \"model_type\": \"nemo-conformer-tdt\",\n"
            + "  \"features_size\": 128,\n"
            + "  \"subsampling_factor\": 8,\n"
            + "  \"equivalent\": \"compute-equivalent Parakeet-TDT with RANDOM weights: it measures speed, not accuracy\",\n"
            + "  " + configLine(config, precision) + "\n"
            + "}\n");
    return dir;
  }

  private static String configLine(Config c, Precision p) {
    return String.format(
        Locale.ROOT,
        "\"generated\": \"v3 %s layers=%d d_model=%d heads=%d ff=%d conv_kernel=%d sub_channels=%d pred=%dx%d joint=%d"
            + " vocab=%d max_frames=%d\",",
        p.dirName(), c.layers(), c.dModel(), c.heads(), c.ffDim(), c.convKernel(), c.subChannels(), c.predLayers(),
        c.predHidden(), c.jointHidden(), c.vocab(), c.maxFrames())
        .replaceAll(",$", "");
  }

  /** Linear layers in fp32 or dynamically quantized int8. */
  private static class Layers {
    final OnnxGraph g;
    final boolean int8;

    Layers(OnnxGraph g, boolean int8) {
      this.g = g;
      this.int8 = int8;
    }

    /** {@code x @ W + b} over the last axis, W [in, out] random with a fan-in bound. */
    String linear(String name, String x, int in, int out, boolean bias) throws IOException {
      float bound = (float) Math.sqrt(3.0 / in);
      String y;
      if (int8) {
        String xq = g.fresh(name + "_xq");
        String xs = g.fresh(name + "_xs");
        String xz = g.fresh(name + "_xz");
        g.nodeN("DynamicQuantizeLinear", new String[] {xq, xs, xz}, new String[] {x});
        String w = g.randomInt8(name + "_w_int8", in, out);
        String wz = g.int8Scalar((byte) 0);
        String acc = g.node("MatMulInteger", null, new String[] {xq, w, xz, wz});
        String accF = g.node("Cast", null, new String[] {acc}, attr("to", (long) DataType.FLOAT_VALUE));
        String scale = g.node("Mul", xs, g.floatScalar(bound / 127f));
        y = g.node("Mul", accF, scale);
      } else {
        y = g.node("MatMul", x, g.random(name + "_w", bound, in, out));
      }
      return bias ? g.node("Add", y, g.random(name + "_b", 0.01f, out)) : y;
    }

    String layerNorm(String name, String x, int dim) throws IOException {
      return g.node(
          "LayerNormalization",
          null,
          new String[] {x, g.filled(name + "_scale", 1f, dim), g.filled(name + "_bias", 0f, dim)},
          attr("axis", -1L),
          attr("epsilon", 1e-5f));
    }

    String swish(String x) {
      return g.node("Mul", x, g.node("Sigmoid", x));
    }

    String transpose(String x, long... perm) {
      return g.node("Transpose", null, new String[] {x}, attr("perm", perm));
    }
  }

  private static final class Encoder extends Layers {
    private final Config c;

    Encoder(OnnxGraph g, Config c, boolean int8) {
      super(g, int8);
      this.c = c;
    }

    void build() throws IOException {
      g.input("audio_signal", DataType.FLOAT, "batch", MEL, "frames");
      g.input("length", DataType.INT64, "batch");
      g.output("outputs", DataType.FLOAT, "batch", c.dModel(), "encoded_frames");
      g.output("encoded_lengths", DataType.INT64, "batch");
      int ch = c.subChannels();

      // Subsampling: [B, 128, T] -> [B, 1, T, 128] -> three stride-2 convolutions -> [B, T/8, ch * 16] -> d_model.
      String x = transpose(g.node("Unsqueeze", "audio_signal", g.ints(1)), 0, 1, 3, 2);
      x = conv("sub0", x, ch, 1, 1, true);
      for (int i = 1; i <= 2; i++) {
        x = conv("sub" + i + "_dw", x, ch, 1, ch, true);
        x = g.node("Relu", conv("sub" + i + "_pw", x, ch, ch, 1, false));
      }
      x = g.node("Reshape", transpose(x, 0, 2, 1, 3), g.ints(0, 0, -1));
      x = linear("sub_out", x, ch * (MEL / 8), c.dModel(), true);

      // Encoded lengths: each stride-2 convolution (kernel 3, padding 1) maps L to (L - 1) / 2 + 1.
      String len = "length";
      String one = g.intScalar(1);
      String two = g.intScalar(2);
      for (int i = 0; i < 3; i++) {
        len = g.node("Add", i == 2 ? "encoded_lengths" : null, new String[] {g.node("Div", g.node("Sub", len, one), two), one});
      }
      // Attention mask [B, 1, 1, T']: padded frames get -10000.
      String frames = g.node("Shape", null, new String[] {x}, attr("start", 1L), attr("end", 2L));
      String positions =
          g.node("Range", g.intScalar(0), g.node("Squeeze", frames, g.ints(0)), one);
      String valid =
          g.node("Less", g.node("Unsqueeze", positions, g.ints(0)), g.node("Unsqueeze", "encoded_lengths", g.ints(1)));
      String mask =
          g.node("Unsqueeze", g.node("Where", valid, g.floatScalar(0f), g.floatScalar(-10000f)), g.ints(1, 2));
      // Position embeddings of the T' frames, shared by the layers (each projects them with its own weights).
      String table = g.random("pos_table", 1f, c.maxFrames(), c.dModel());
      String pos = g.node("Slice", table, g.ints(0), frames, g.ints(0));

      for (int l = 0; l < c.layers(); l++) {
        String p = "layer" + l;
        x = feedForward(p + "_ff1", x);
        x = g.node("Add", x, attention(p + "_att", x, pos, mask));
        x = g.node("Add", x, convModule(p + "_conv", x));
        x = feedForward(p + "_ff2", x);
        x = layerNorm(p + "_norm_out", x, c.dModel());
      }
      g.node("Transpose", "outputs", new String[] {x}, attr("perm", 0L, 2L, 1L));
    }

    /** A 2-D convolution, kernel 3 stride 2 padding 1 ({@code sub*}) or 1x1; ReLU after when asked. */
    private String conv(String name, String x, int out, int inPerGroup, int groups, boolean strided)
        throws IOException {
      boolean pointwise = name.endsWith("_pw");
      int k = pointwise ? 1 : 3;
      String w = g.random(name + "_w", (float) Math.sqrt(3.0 / (inPerGroup * k * k)), out, inPerGroup, k, k);
      String b = g.random(name + "_b", 0.01f, out);
      String y =
          pointwise
              ? g.node("Conv", null, new String[] {x, w, b})
              : g.node(
                  "Conv",
                  null,
                  new String[] {x, w, b},
                  attr("strides", 2L, 2L),
                  attr("pads", 1L, 1L, 1L, 1L),
                  attr("group", (long) groups));
      return strided && !name.endsWith("_dw") ? g.node("Relu", y) : y;
    }

    private String feedForward(String name, String x) throws IOException {
      String h = layerNorm(name + "_norm", x, c.dModel());
      h = swish(linear(name + "_1", h, c.dModel(), c.ffDim(), true));
      h = linear(name + "_2", h, c.ffDim(), c.dModel(), true);
      return g.node("Add", x, g.node("Mul", h, g.floatScalar(0.5f)));
    }

    private String attention(String name, String x, String pos, String mask) throws IOException {
      int d = c.dModel();
      int h = c.heads();
      int dk = d / h;
      String ln = layerNorm(name + "_norm", x, d);
      String heads = g.ints(0, 0, h, dk);
      String q = transpose(g.node("Reshape", linear(name + "_q", ln, d, d, true), heads), 0, 2, 1, 3);
      String k = transpose(g.node("Reshape", linear(name + "_k", ln, d, d, true), heads), 0, 2, 3, 1);
      String v = transpose(g.node("Reshape", linear(name + "_v", ln, d, d, true), heads), 0, 2, 1, 3);
      String p =
          transpose(g.node("Reshape", linear(name + "_pos", pos, d, d, false), g.ints(1, -1, h, dk)), 0, 2, 3, 1);
      String qu = g.node("Add", q, g.random(name + "_bias_u", 0.1f, h, 1, dk));
      String qv = g.node("Add", q, g.random(name + "_bias_v", 0.1f, h, 1, dk));
      String scores = g.node("Add", g.node("MatMul", qu, k), g.node("MatMul", qv, p));
      scores = g.node("Add", g.node("Mul", scores, g.floatScalar((float) (1 / Math.sqrt(dk)))), mask);
      String att = g.node("Softmax", null, new String[] {scores}, attr("axis", -1L));
      String ctx = g.node("Reshape", transpose(g.node("MatMul", att, v), 0, 2, 1, 3), g.ints(0, 0, d));
      return linear(name + "_out", ctx, d, d, true);
    }

    private String convModule(String name, String x) throws IOException {
      int d = c.dModel();
      String h = linear(name + "_pw1", layerNorm(name + "_norm", x, d), d, 2 * d, true);
      String a = g.fresh(name + "_glu_a");
      String b = g.fresh(name + "_glu_b");
      g.nodeN("Split", new String[] {a, b}, new String[] {h, g.ints(d, d)}, attr("axis", -1L));
      String glu = transpose(g.node("Mul", a, g.node("Sigmoid", b)), 0, 2, 1);
      int k = c.convKernel();
      String dw =
          g.node(
              "Conv",
              null,
              new String[] {
                glu, g.random(name + "_dw_w", (float) Math.sqrt(3.0 / k), d, 1, k), g.random(name + "_dw_b", 0.01f, d)
              },
              attr("pads", (long) (k / 2), (long) (k / 2)),
              attr("group", (long) d));
      String bn =
          g.node(
              "BatchNormalization",
              null,
              new String[] {
                dw, g.filled(name + "_bn_scale", 1f, d), g.filled(name + "_bn_bias", 0f, d),
                g.filled(name + "_bn_mean", 0f, d), g.filled(name + "_bn_var", 1f, d)
              },
              attr("epsilon", 1e-5f));
      return linear(name + "_pw2", transpose(swish(bn), 0, 2, 1), d, d, true);
    }
  }

  private static final class DecoderJoint extends Layers {
    private final Config c;

    DecoderJoint(OnnxGraph g, Config c, boolean int8) {
      super(g, int8);
      this.c = c;
    }

    void build() throws IOException {
      int ph = c.predHidden();
      int width = c.vocab() + ParakeetModel.DURATIONS;
      g.input("encoder_outputs", DataType.FLOAT, "batch", c.dModel(), 1);
      g.input("targets", DataType.INT32, "batch", 1);
      g.input("target_length", DataType.INT32, "batch");
      g.input("input_states_1", DataType.FLOAT, c.predLayers(), "batch", ph);
      g.input("input_states_2", DataType.FLOAT, c.predLayers(), "batch", ph);
      g.output("outputs", DataType.FLOAT, "batch", 1, 1, width);
      g.output("output_states_1", DataType.FLOAT, c.predLayers(), "batch", ph);
      g.output("output_states_2", DataType.FLOAT, c.predLayers(), "batch", ph);

      String enc = linear("joint_enc", transpose("encoder_outputs", 0, 2, 1), c.dModel(), c.jointHidden(), true);
      // Prediction network: embedding [B, 1, ph] -> time-major [1, B, ph] -> LSTM layers.
      String emb = g.node("Gather", g.random("pred_embed", 1f, c.vocab(), ph), "targets");
      String x = transpose(emb, 1, 0, 2);
      String[] hs = new String[c.predLayers()];
      String[] cs = new String[c.predLayers()];
      float bound = (float) (1 / Math.sqrt(ph));
      for (int l = 0; l < c.predLayers(); l++) {
        String h0 = g.node("Slice", "input_states_1", g.ints(l), g.ints(l + 1), g.ints(0));
        String c0 = g.node("Slice", "input_states_2", g.ints(l), g.ints(l + 1), g.ints(0));
        String y = g.fresh("lstm" + l + "_y");
        hs[l] = g.fresh("lstm" + l + "_h");
        cs[l] = g.fresh("lstm" + l + "_c");
        g.nodeN(
            "LSTM",
            new String[] {y, hs[l], cs[l]},
            new String[] {
              x,
              g.random("lstm" + l + "_w", bound, 1, 4 * ph, ph),
              g.random("lstm" + l + "_r", bound, 1, 4 * ph, ph),
              g.random("lstm" + l + "_b", bound, 1, 8 * ph),
              "",
              h0,
              c0
            },
            attr("hidden_size", (long) ph));
        x = g.node("Squeeze", y, g.ints(1));
      }
      g.node("Concat", "output_states_1", hs, attr("axis", 0L));
      g.node("Concat", "output_states_2", cs, attr("axis", 0L));
      String pred = linear("joint_pred", transpose(x, 1, 0, 2), ph, c.jointHidden(), true);
      String joint = g.node("Relu", g.node("Add", enc, pred));
      String logits = linear("joint_out", joint, c.jointHidden(), width, true);
      // Random weights alone would emit a token at nearly every step, up to the per-frame cap (11 decoder calls per
      // frame, ten times a real model's). A gate on the frame's projection (channel 0) emits a token on about
      // half the frames and a blank on the others, and duration biases make both skip 1-4 frames (mostly 1-2): about
      // 0.7 decoder calls and 0.35 tokens per frame (4-5 tokens/s), the pace of greedy TDT decoding on speech.
      // A random deep encoder's frames differ little from each other (its output is dominated by a shared
      // direction), so the gate is sin(1000 x) of the projection: a pseudo-random sign per frame.
      String projected = g.node("Slice", enc, g.ints(0), g.ints(1), g.ints(2));
      String gate = g.node("Sin", g.node("Mul", projected, g.floatScalar(1000f)));
      String boost = g.node("Where", g.node("LessOrEqual", gate, g.floatScalar(0f)), g.floatScalar(100f),
          g.floatScalar(-100f));
      float[] blankOnly = new float[width];
      blankOnly[c.vocab() - 1] = 1f;
      float[] durationBias = new float[width];
      float[] durations = {-100f, 1f, 1f, 0f, -1f};
      System.arraycopy(durations, 0, durationBias, c.vocab(), durations.length);
      String steered =
          g.node("Add", g.node("Add", logits, g.node("Mul", boost, g.constant("blank_only", blankOnly))),
              g.constant("duration_bias", durationBias));
      g.node("Unsqueeze", "outputs", new String[] {steered, g.ints(2)});
    }
  }
}

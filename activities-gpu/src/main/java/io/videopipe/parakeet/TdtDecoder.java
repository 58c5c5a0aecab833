package io.videopipe.parakeet;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Greedy TDT decoding of segments, batched: per step the decoder+joint sees one encoder frame of each unfinished
 * segment, its previous token (blank at the start) and its LSTM states; a segment's states advance only when it emits
 * a token. The predicted duration moves the
 * frame pointer; a blank, or the per-frame emission cap, moves it by at least one frame.
 */
final class TdtDecoder {
  /** onnx-asr's cap; sherpa-onnx uses 5. */
  static final int DEFAULT_MAX_SYMBOLS_PER_FRAME = 10;
  private static final int[] DURATIONS = {0, 1, 2, 3, 4};

  /**
   * @param frame encoder frame the token was emitted on
   * @param duration frames the joint predicted with it
   * @param confidence softmax probability of the token among the vocabulary
   */
  record Token(int id, int frame, int duration, float confidence) {}

  /** One decoder+joint run: its logits and the result that owns its output states. */
  record Step(float[] logits, OrtSession.Result result) implements AutoCloseable {
    OnnxTensor state(String name) {
      return (OnnxTensor) result.get(name).orElseThrow();
    }

    @Override
    public void close() {
      result.close();
    }
  }

  private final ParakeetModel model;
  private final int maxSymbolsPerFrame;

  TdtDecoder(ParakeetModel model, int maxSymbolsPerFrame) {
    if (maxSymbolsPerFrame < 1) {
      throw new IllegalArgumentException("maxSymbolsPerFrame must be at least 1, is " + maxSymbolsPerFrame);
    }
    this.model = model;
    this.maxSymbolsPerFrame = maxSymbolsPerFrame;
  }

  /** A step on a zero frame from the initial state (model validation). */
  Step probe() throws OrtException {
    float[] frame = new float[model.encoderDim()];
    try (OnnxTensor s1 = zeroState();
        OnnxTensor s2 = zeroState()) {
      return step(frame, model.vocabulary().blank(), s1, s2);
    }
  }

  /**
   * One segment's encoder output to decode: channel {@code c} of frame {@code t} is at {@code values[base + c * stride +
   * t]} for {@code t < frames}.
   */
  record Segment(float[] values, int base, int stride, int frames) {}

  /** Decodes one segment (a batch of one). */
  List<Token> decode(float[] encoded, int base, int stride, int frames) throws OrtException {
    return decode(List.of(new Segment(encoded, base, stride, frames))).get(0);
  }

  /**
   * Decodes the segments together: each decoder+joint run advances every segment that still has frames by one step
   * (the same step it would take alone), so a batch of B segments costs as many runs as its longest segment alone
   * rather than the sum of all. Each segment keeps its own previous token, frame pointer, emission count and LSTM
   * states ([layers, 1, hidden] slices gathered into and scattered from the batch's [layers, n, hidden] tensors).
   */
  List<List<Token>> decode(List<Segment> segments) throws OrtException {
    int n = segments.size();
    int dim = model.encoderDim();
    int vocab = model.vocabulary().size();
    int blank = model.vocabulary().blank();
    int layers = model.stateLayers();
    int hidden = model.stateDim();
    int stateSize = layers * hidden;
    List<List<Token>> tokens = new ArrayList<>(n);
    int[] t = new int[n];
    int[] prev = new int[n];
    int[] emittedHere = new int[n];
    float[][] s1 = new float[n][stateSize];
    float[][] s2 = new float[n][stateSize];
    for (int i = 0; i < n; i++) {
      tokens.add(new ArrayList<>());
      prev[i] = blank;
    }
    int[] active = new int[n];
    float[] frames = new float[n * dim];
    int[] targets = new int[n];
    int[] ones = new int[n];
    java.util.Arrays.fill(ones, 1);
    float[] states1 = new float[n * stateSize];
    float[] states2 = new float[n * stateSize];
    float[] out1 = new float[n * stateSize];
    float[] out2 = new float[n * stateSize];
    var env = model.env();
    while (true) {
      int m = 0;
      for (int i = 0; i < n; i++) {
        if (t[i] < segments.get(i).frames()) {
          active[m++] = i;
        }
      }
      if (m == 0) {
        return tokens;
      }
      // Gather: frame [m, dim, 1], targets [m, 1], states [layers, m, hidden].
      for (int j = 0; j < m; j++) {
        int i = active[j];
        Segment s = segments.get(i);
        int at = s.base() + t[i];
        for (int c = 0; c < dim; c++) {
          frames[j * dim + c] = s.values()[at + c * s.stride()];
        }
        targets[j] = prev[i];
        for (int l = 0; l < layers; l++) {
          System.arraycopy(s1[i], l * hidden, states1, (l * m + j) * hidden, hidden);
          System.arraycopy(s2[i], l * hidden, states2, (l * m + j) * hidden, hidden);
        }
      }
      float[] logits;
      int width;
      try (OnnxTensor enc = OnnxTensor.createTensor(env, FloatBuffer.wrap(frames, 0, m * dim), new long[] {m, dim, 1});
          OnnxTensor tg = OnnxTensor.createTensor(env, IntBuffer.wrap(targets, 0, m), new long[] {m, 1});
          OnnxTensor tl = OnnxTensor.createTensor(env, IntBuffer.wrap(ones, 0, m), new long[] {m});
          OnnxTensor i1 =
              OnnxTensor.createTensor(env, FloatBuffer.wrap(states1, 0, m * stateSize), new long[] {layers, m, hidden});
          OnnxTensor i2 =
              OnnxTensor.createTensor(env, FloatBuffer.wrap(states2, 0, m * stateSize), new long[] {layers, m, hidden});
          OrtSession.Result r =
              model
                  .decoderJoint()
                  .run(
                      Map.of(
                          "encoder_outputs", enc,
                          "targets", tg,
                          "target_length", tl,
                          "input_states_1", i1,
                          "input_states_2", i2))) {
        FloatBuffer out = ((OnnxTensor) r.get("outputs").orElseThrow()).getFloatBuffer();
        logits = new float[out.remaining()];
        out.get(logits);
        width = logits.length / m;
        ((OnnxTensor) r.get("output_states_1").orElseThrow()).getFloatBuffer().get(out1, 0, m * stateSize);
        ((OnnxTensor) r.get("output_states_2").orElseThrow()).getFloatBuffer().get(out2, 0, m * stateSize);
      }
      float[] row = new float[width];
      for (int j = 0; j < m; j++) {
        int i = active[j];
        System.arraycopy(logits, j * width, row, 0, width);
        int token = argmax(row, 0, vocab);
        int duration = DURATIONS[argmax(row, vocab, vocab + DURATIONS.length) - vocab];
        if (token != blank) {
          tokens.get(i).add(new Token(token, t[i], duration, softmax(row, vocab, token)));
          prev[i] = token;
          // Scatter: the emitted token's states become the segment's; a blank leaves them as they were.
          for (int l = 0; l < layers; l++) {
            System.arraycopy(out1, (l * m + j) * hidden, s1[i], l * hidden, hidden);
            System.arraycopy(out2, (l * m + j) * hidden, s2[i], l * hidden, hidden);
          }
          emittedHere[i]++;
        }
        if (duration > 0) {
          t[i] += duration;
          emittedHere[i] = 0;
        } else if (token == blank || emittedHere[i] >= maxSymbolsPerFrame) {
          t[i]++;
          emittedHere[i] = 0;
        }
      }
    }
  }

  private Step step(float[] frame, int prev, OnnxTensor s1, OnnxTensor s2) throws OrtException {
    var env = model.env();
    try (OnnxTensor enc = OnnxTensor.createTensor(env, FloatBuffer.wrap(frame), new long[] {1, frame.length, 1});
        OnnxTensor targets = OnnxTensor.createTensor(env, IntBuffer.wrap(new int[] {prev}), new long[] {1, 1});
        OnnxTensor targetLength = OnnxTensor.createTensor(env, IntBuffer.wrap(new int[] {1}), new long[] {1})) {
      OrtSession.Result r =
          model
              .decoderJoint()
              .run(
                  Map.of(
                      "encoder_outputs", enc,
                      "targets", targets,
                      "target_length", targetLength,
                      "input_states_1", s1,
                      "input_states_2", s2));
      try {
        FloatBuffer out = ((OnnxTensor) r.get("outputs").orElseThrow()).getFloatBuffer();
        float[] logits = new float[out.remaining()];
        out.get(logits);
        return new Step(logits, r);
      } catch (RuntimeException e) {
        r.close();
        throw e;
      }
    }
  }

  private OnnxTensor zeroState() throws OrtException {
    int n = model.stateLayers() * model.stateDim();
    return OnnxTensor.createTensor(
        model.env(), FloatBuffer.wrap(new float[n]), new long[] {model.stateLayers(), 1, model.stateDim()});
  }

  static int argmax(float[] x, int from, int to) {
    int best = from;
    for (int i = from + 1; i < to; i++) {
      if (x[i] > x[best]) {
        best = i;
      }
    }
    return best;
  }

  static float softmax(float[] x, int vocab, int index) {
    double max = x[argmax(x, 0, vocab)];
    double sum = 0;
    for (int i = 0; i < vocab; i++) {
      sum += Math.exp(x[i] - max);
    }
    return (float) (Math.exp(x[index] - max) / sum);
  }
}

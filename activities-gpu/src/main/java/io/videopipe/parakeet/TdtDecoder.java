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
 * Greedy TDT decoding of one segment: per step the decoder+joint sees one encoder frame, the previous token (blank at
 * the start) and the LSTM states; the states advance only when a token is emitted. The predicted duration moves the
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
   * Decodes frames {@code [0, frames)} of one batch item: channel {@code c} of frame {@code t} is at {@code
   * encoded[base + c * stride + t]}.
   */
  List<Token> decode(float[] encoded, int base, int stride, int frames) throws OrtException {
    int dim = model.encoderDim();
    int vocab = model.vocabulary().size();
    int blank = model.vocabulary().blank();
    float[] frame = new float[dim];
    List<Token> tokens = new ArrayList<>();
    Step accepted = null;
    OnnxTensor zero1 = zeroState();
    OnnxTensor zero2 = zeroState();
    try {
      int prev = blank;
      int t = 0;
      int emittedHere = 0;
      int loaded = -1;
      while (t < frames) {
        if (loaded != t) {
          for (int c = 0; c < dim; c++) {
            frame[c] = encoded[base + c * stride + t];
          }
          loaded = t;
        }
        OnnxTensor s1 = accepted == null ? zero1 : accepted.state("output_states_1");
        OnnxTensor s2 = accepted == null ? zero2 : accepted.state("output_states_2");
        Step step = step(frame, prev, s1, s2);
        float[] logits = step.logits();
        int token = argmax(logits, 0, vocab);
        int duration = DURATIONS[argmax(logits, vocab, vocab + DURATIONS.length) - vocab];
        if (token != blank) {
          tokens.add(new Token(token, t, duration, softmax(logits, vocab, token)));
          prev = token;
          // The emitted token's states become the decoder's; a blank leaves them as they were.
          if (accepted != null) {
            accepted.close();
          }
          accepted = step;
          emittedHere++;
        } else {
          step.close();
        }
        if (duration > 0) {
          t += duration;
          emittedHere = 0;
        } else if (token == blank || emittedHere >= maxSymbolsPerFrame) {
          t++;
          emittedHere = 0;
        }
      }
      return tokens;
    } finally {
      if (accepted != null) {
        accepted.close();
      }
      zero1.close();
      zero2.close();
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

package io.videopipe.parakeet;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Silero VAD (the MIT-licensed ONNX model shipped in this jar) and a port of its {@code get_speech_timestamps}: speech
 * spans with hysteresis, minimum lengths, a maximum length (long speech is cut at its last pause) and padding. The
 * session is thread-safe; each call keeps its own recurrent state.
 */
public final class SileroVad implements AutoCloseable {
  static final String MODEL_RESOURCE = "/io/videopipe/parakeet/silero/silero_vad_16k_op15.onnx";
  static final int WINDOW = 512;
  static final int CONTEXT = 64;
  private static final int STATE = 2 * 128;

  /**
   * @param threshold speech starts at this probability
   * @param negThreshold speech ends below this probability
   * @param minSpeechMs shorter speech is dropped
   * @param minSilenceMs a pause must last this long to end speech
   * @param speechPadMs added on both sides of each span
   * @param maxSpeechSec longer speech is cut, at a pause of 98 ms or more when there is one
   */
  public record Settings(
      float threshold, float negThreshold, int minSpeechMs, int minSilenceMs, int speechPadMs, double maxSpeechSec) {
    public Settings {
      if (maxSpeechSec < 1) {
        throw new IllegalArgumentException("maxSpeechSec must be at least 1, is " + maxSpeechSec);
      }
    }

    /** Silero's and onnx-asr's defaults with segments of at most {@code maxSpeechSec}. */
    public static Settings defaults(double maxSpeechSec) {
      return new Settings(0.5f, 0.35f, 250, 100, 30, maxSpeechSec);
    }
  }

  /** Samples {@code [start, end)} of the source. */
  public record Span(int start, int end) {
    public int length() {
      return end - start;
    }
  }

  private final OrtEnvironment env;
  private final OrtSession session;

  public SileroVad(OrtEnvironment env) throws OrtException {
    this.env = env;
    byte[] model;
    try (InputStream in = SileroVad.class.getResourceAsStream(MODEL_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Silero VAD model missing from the classpath: " + MODEL_RESOURCE);
      }
      model = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      // A tiny recurrent model run once per 32 ms: one thread avoids pool hand-offs that cost more than the work.
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      session = env.createSession(model, options);
    }
  }

  /** Speech probability of each 512-sample window (32 ms) of the audio; the last window is zero-padded. */
  public float[] probabilities(float[] audio) throws OrtException, InterruptedException {
    int windows = (audio.length + WINDOW - 1) / WINDOW;
    float[] probs = new float[windows];
    float[] input = new float[CONTEXT + WINDOW];
    float[] state = new float[STATE];
    long[] inputShape = {1, CONTEXT + WINDOW};
    long[] stateShape = {2, 1, 128};
    try (OnnxTensor sr = OnnxTensor.createTensor(env, (long) MelFrontend.SAMPLE_RATE)) {
      for (int w = 0; w < windows; w++) {
        if ((w & 255) == 0 && Thread.interrupted()) {
          throw new InterruptedException("VAD interrupted");
        }
        // The model sees the last 64 samples of the previous window before the 512 new ones.
        System.arraycopy(input, WINDOW, input, 0, CONTEXT);
        int from = w * WINDOW;
        int n = Math.min(WINDOW, audio.length - from);
        System.arraycopy(audio, from, input, CONTEXT, n);
        java.util.Arrays.fill(input, CONTEXT + n, CONTEXT + WINDOW, 0f);
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), inputShape);
            OnnxTensor st = OnnxTensor.createTensor(env, FloatBuffer.wrap(state), stateShape);
            OrtSession.Result r = session.run(Map.of("input", in, "state", st, "sr", sr))) {
          probs[w] = ((OnnxTensor) r.get(0)).getFloatBuffer().get(0);
          ((OnnxTensor) r.get(1)).getFloatBuffer().get(state);
        }
      }
    }
    return probs;
  }

  /** Speech spans of 16 kHz audio. */
  public List<Span> speech(float[] audio, Settings s) throws OrtException, InterruptedException {
    return spans(probabilities(audio), audio.length, s);
  }

  /** Silero's get_speech_timestamps on precomputed window probabilities. */
  static List<Span> spans(float[] probs, int audioLength, Settings s) {
    int sr = MelFrontend.SAMPLE_RATE;
    int minSpeech = sr * s.minSpeechMs() / 1000;
    int pad = sr * s.speechPadMs() / 1000;
    long maxSpeech = (long) (sr * s.maxSpeechSec()) - WINDOW - 2L * pad;
    int minSilence = sr * s.minSilenceMs() / 1000;
    int minSilenceAtMaxSpeech = sr * 98 / 1000;

    List<int[]> speeches = new ArrayList<>();
    boolean triggered = false;
    int start = 0;
    int tempEnd = 0;
    int prevEnd = 0;
    int nextStart = 0;
    for (int i = 0; i < probs.length; i++) {
      float p = probs[i];
      int at = WINDOW * i;
      if (p >= s.threshold() && tempEnd != 0) {
        tempEnd = 0;
        if (nextStart < prevEnd) {
          nextStart = at;
        }
      }
      if (p >= s.threshold() && !triggered) {
        triggered = true;
        start = at;
        continue;
      }
      if (triggered && at - start > maxSpeech) {
        if (prevEnd != 0) {
          speeches.add(new int[] {start, prevEnd});
          if (nextStart < prevEnd) {
            triggered = false;
          } else {
            start = nextStart;
          }
          prevEnd = nextStart = tempEnd = 0;
        } else {
          speeches.add(new int[] {start, at});
          prevEnd = nextStart = tempEnd = 0;
          triggered = false;
          continue;
        }
      }
      if (p < s.negThreshold() && triggered) {
        if (tempEnd == 0) {
          tempEnd = at;
        }
        if (at - tempEnd > minSilenceAtMaxSpeech) {
          prevEnd = tempEnd;
        }
        if (at - tempEnd < minSilence) {
          continue;
        }
        if (tempEnd - start > minSpeech) {
          speeches.add(new int[] {start, tempEnd});
        }
        prevEnd = nextStart = tempEnd = 0;
        triggered = false;
      }
    }
    if (triggered && audioLength - start > minSpeech) {
      speeches.add(new int[] {start, audioLength});
    }

    for (int i = 0; i < speeches.size(); i++) {
      int[] sp = speeches.get(i);
      if (i == 0) {
        sp[0] = Math.max(0, sp[0] - pad);
      }
      if (i < speeches.size() - 1) {
        int[] next = speeches.get(i + 1);
        int silence = next[0] - sp[1];
        if (silence < 2 * pad) {
          sp[1] += silence / 2;
          next[0] = Math.max(0, next[0] - silence / 2);
        } else {
          sp[1] = Math.min(audioLength, sp[1] + pad);
          next[0] = Math.max(0, next[0] - pad);
        }
      } else {
        sp[1] = Math.min(audioLength, sp[1] + pad);
      }
    }
    List<Span> out = new ArrayList<>(speeches.size());
    for (int[] sp : speeches) {
      if (sp[1] > sp[0]) {
        out.add(new Span(sp[0], sp[1]));
      }
    }
    return out;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}

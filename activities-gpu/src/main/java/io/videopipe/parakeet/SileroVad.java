package io.videopipe.parakeet;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.videopipe.concurrent.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Silero VAD (the MIT-licensed ONNX model shipped in this jar) and a port of its {@code get_speech_timestamps}: speech
 * spans with hysteresis, minimum lengths, a maximum length (long speech is cut at its last pause) and padding. The
 * session is thread-safe; each call keeps its own recurrent states, one per chunk of its audio. It runs on the CPU or
 * on a CUDA device; the chunks give the model a batch dimension wide enough to fill a GPU.
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

  /**
   * How one job's audio is cut for VAD: into chunks of {@code chunkSec}, each started {@code warmUpSec} early from a
   * fresh recurrent state (the warm-up's probabilities are dropped, so by a chunk's first kept window its state has
   * caught up with the sequential run's); chunks advance together in batches of {@code batch} rows per model run, and
   * batches run on {@code threads} threads shared by every job of the worker.
   */
  public record Chunking(double chunkSec, double warmUpSec, int batch, int threads) {
    public Chunking {
      if (chunkSec < 1 || warmUpSec < 0 || batch < 1 || threads < 1) {
        throw new IllegalArgumentException(
            "VAD chunking needs chunkSec >= 1, warmUpSec >= 0, batch >= 1 and threads >= 1: " + this);
      }
    }

    /**
     * 30 s chunks with 4 s of warm-up (measured: 2 s leaves spans up to 64 ms off the sequential run's, 4 s within
     * 32 ms), 16 chunks per model run, one thread per core.
     */
    public static Chunking defaults() {
      return new Chunking(30, 4, 16, Runtime.getRuntime().availableProcessors());
    }

    /**
     * For a CUDA device, where a model run of thousands of rows costs little more than one of a single row (launches,
     * not arithmetic, bound it): 4 s chunks with the same 4 s warm-up, all of a job's chunks in one batch (up to 4096:
     * 4.5 hours), so a job takes (4 + 4) s / 32 ms = 250 model runs whatever its length. One thread: concurrent runs
     * would only queue on the device's stream; jobs take turns. Measured on the CPU (the chunking is the same on
     * either device): spans within 32 ms of the sequential run, where 3 s + 3 s or 2 s + 2 s leave 64 ms. On the CPU
     * the warm-up would double the work.
     */
    public static Chunking gpu() {
      return new Chunking(4, 4, 4096, 1);
    }

    /** One chunk on one thread: the sequential run. */
    public static Chunking sequential() {
      return new Chunking(Integer.MAX_VALUE, 0, 1, 1);
    }
  }

  private final OrtEnvironment env;
  private final OrtSession session;
  private final Chunking chunking;
  private final OptionalInt cudaDevice;
  private final ExecutorService pool;

  /**
   * @param cudaDevice the CUDA device to run on, empty for the CPU; without a CUDA execution provider the VAD runs on
   *     the CPU (logged), as {@link #provider()} then says
   */
  public SileroVad(OrtEnvironment env, Chunking chunking, OptionalInt cudaDevice) throws OrtException {
    this.env = env;
    this.chunking = chunking;
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
      // A tiny recurrent model run once per 32 ms: one thread per run avoids pool hand-offs that cost more than the
      // work; parallelism comes from running chunks side by side.
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      this.cudaDevice =
          ParakeetModel.configureProvider(options, cudaDevice.isPresent(), cudaDevice.orElse(0), "Silero VAD");
      session = env.createSession(model, options);
    }
    this.pool = Executors.newFixedThreadPool(chunking.threads(), DaemonThreads.named("silero-vad-"));
  }

  /** "CUDA device N" or "CPU". */
  public String provider() {
    return ParakeetModel.providerName(cudaDevice);
  }

  public Chunking chunking() {
    return chunking;
  }

  /**
   * Speech probability of each 512-sample window (32 ms) of the audio; the last window is zero-padded. Chunks of the
   * audio run in parallel (see {@link Chunking}).
   */
  public float[] probabilities(float[] audio) throws OrtException, InterruptedException {
    int windows = (audio.length + WINDOW - 1) / WINDOW;
    float[] probs = new float[windows];
    if (windows == 0) {
      return probs;
    }
    long chunkWindows = Math.max(1, (long) (chunking.chunkSec() * MelFrontend.SAMPLE_RATE / WINDOW));
    int warm = (int) Math.ceil(chunking.warmUpSec() * MelFrontend.SAMPLE_RATE / WINDOW);
    List<int[]> chunks = new ArrayList<>(); // {first window computed, first window kept, end}
    for (long keep = 0; keep < windows; keep += chunkWindows) {
      int k = (int) keep;
      chunks.add(new int[] {Math.max(0, k - warm), k, (int) Math.min(windows, keep + chunkWindows)});
    }
    List<Future<?>> running = new ArrayList<>();
    try {
      // Enough groups to keep every thread busy, each of at most `batch` chunks.
      int perGroup =
          Math.max(1, Math.min(chunking.batch(), (chunks.size() + chunking.threads() - 1) / chunking.threads()));
      for (int from = 0; from < chunks.size(); from += perGroup) {
        List<int[]> group = chunks.subList(from, Math.min(chunks.size(), from + perGroup));
        running.add(
            pool.submit(
                () -> {
                  run(audio, group, probs);
                  return null;
                }));
      }
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof OrtException o) {
            throw o;
          }
          if (e.getCause() instanceof InterruptedException i) {
            throw i;
          }
          throw new IllegalStateException("VAD failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      for (Future<?> f : running) {
        f.cancel(true);
      }
    }
    return probs;
  }

  /** Advances the chunks of one group together, one window per model run, each with its own state and context. */
  private void run(float[] audio, List<int[]> chunks, float[] probs) throws OrtException, InterruptedException {
    int n = chunks.size();
    int steps = 0;
    for (int[] c : chunks) {
      steps = Math.max(steps, c[2] - c[0]);
    }
    int row = CONTEXT + WINDOW;
    float[] input = new float[n * row];
    float[] state = new float[STATE * n];
    long[] inputShape = {n, row};
    long[] stateShape = {2, n, 128};
    float[] out = new float[n];
    try (OnnxTensor sr = OnnxTensor.createTensor(env, (long) MelFrontend.SAMPLE_RATE)) {
      for (int step = 0; step < steps; step++) {
        if ((step & 255) == 0 && Thread.interrupted()) {
          throw new InterruptedException("VAD interrupted");
        }
        for (int r = 0; r < n; r++) {
          int[] c = chunks.get(r);
          int w = c[0] + step;
          int base = r * row;
          if (w >= c[2]) {
            java.util.Arrays.fill(input, base, base + row, 0f); // finished: a row of silence, output ignored
            continue;
          }
          // The model sees the last 64 samples of the previous window before the 512 new ones (none at a start).
          int from = w * WINDOW;
          if (w > c[0]) {
            System.arraycopy(audio, from - CONTEXT, input, base, CONTEXT);
          } else {
            java.util.Arrays.fill(input, base, base + CONTEXT, 0f);
          }
          int len = Math.min(WINDOW, audio.length - from);
          System.arraycopy(audio, from, input, base + CONTEXT, len);
          java.util.Arrays.fill(input, base + CONTEXT + len, base + row, 0f);
        }
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), inputShape);
            OnnxTensor st = OnnxTensor.createTensor(env, FloatBuffer.wrap(state), stateShape);
            OrtSession.Result r = session.run(Map.of("input", in, "state", st, "sr", sr))) {
          ((OnnxTensor) r.get(0)).getFloatBuffer().get(out);
          ((OnnxTensor) r.get(1)).getFloatBuffer().get(state);
        }
        for (int r = 0; r < n; r++) {
          int[] c = chunks.get(r);
          int w = c[0] + step;
          if (w >= c[1] && w < c[2]) {
            probs[w] = out[r];
          }
        }
      }
    }
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
    pool.shutdownNow();
    session.close();
  }
}

package io.videopipe.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videopipe.concurrent.DaemonThreads;
import io.videopipe.route.Engine;
import io.videopipe.transcribe.SilenceSplitter.Stretch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;

/**
 * The embedded offline engine: Vosk with the English model of {@code com.alphacephei:vosk-model-en}. One model is
 * loaded per worker and shared by all recognisers. Long audio is split at pauses into stretches that are recognised in
 * parallel on a fixed pool, so memory stays bounded and all cores work on one file.
 */
public final class VoskEngine implements TranscriptionEngine, AutoCloseable {

  /**
   * @param threads recognisers running at once, shared by all transcriptions of this worker
   * @param chunkTargetSec target stretch length; stretches are cut at a pause between 2/3 and 4/3 of it
   */
  public record Settings(int threads, double chunkTargetSec) {
    public static final double DEFAULT_CHUNK_TARGET_SEC = 45;

    public Settings {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, is " + threads);
      }
      if (chunkTargetSec < 1) {
        throw new IllegalArgumentException("chunkTargetSec must be at least 1, is " + chunkTargetSec);
      }
    }

    /** One recogniser per available core, 45 s stretches. */
    public static Settings defaults() {
      return new Settings(Runtime.getRuntime().availableProcessors(), DEFAULT_CHUNK_TARGET_SEC);
    }
  }

  /** Bytes fed per call: 0.25 s at 16 kHz, which bounds how late an interrupt is noticed. */
  private static final int FEED_BYTES = 8000;
  private static final long PROGRESS_EVERY_MS = 250;
  private static final double FRAME_SEC = 0.01;
  private static final double PAUSE_WINDOW_SEC = 0.3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final VoskModelLocator locator;
  private final Settings settings;
  private final ExecutorService pool;
  private final Object lock = new Object();
  private FutureTask<Model> loading;
  private volatile Path modelDir;
  private volatile boolean closed;

  public VoskEngine(VoskModelLocator locator, Settings settings) {
    this.locator = locator;
    this.settings = settings;
    this.pool = Executors.newFixedThreadPool(settings.threads(), DaemonThreads.named("vosk-"));
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public Availability availability() {
    if (closed) {
      return new Availability(false, "the Vosk engine is shut down");
    }
    Path dir = modelDir;
    if (dir != null) {
      return new Availability(true, "Vosk model loaded from " + dir + ", " + settings.threads() + " thread(s)");
    }
    return locator.availability();
  }

  /** Loads the model now (a few seconds) instead of on the first transcription. */
  public void loadModel() throws IOException, InterruptedException {
    model(fraction -> {});
  }

  @Override
  public Transcript transcribe(Path wav, String language, ProgressListener progress) throws Exception {
    return transcribe(wav, language, progress, settings.chunkTargetSec());
  }

  Transcript transcribe(Path wav, String language, ProgressListener progress, double chunkTargetSec)
      throws Exception {
    if (!isEnglish(language)) {
      throw new IllegalArgumentException(
          "the local engine (Vosk) has an English model only; language '" + language + "' is not supported");
    }
    ProgressListener listener = progress == null ? fraction -> {} : progress;
    WavFormat format = WavFormat.read(wav);
    Model model = model(listener);
    List<Stretch> stretches = stretches(wav, format, chunkTargetSec);

    AtomicLong samplesDone = new AtomicLong();
    List<Future<List<Word>>> futures = new ArrayList<>(stretches.size());
    boolean complete = false;
    try {
      for (Stretch stretch : stretches) {
        futures.add(pool.submit(() -> recognise(model, wav, format, stretch, samplesDone)));
      }
      List<Word> words = new ArrayList<>();
      Runnable tick = () -> listener.onProgress(fraction(samplesDone.get(), format.samples()));
      for (Future<List<Word>> f : futures) {
        words.addAll(await(f, tick));
      }
      complete = true;
      listener.onProgress(1.0);
      return new Transcript(Engine.LOCAL.wireName(), "en", format.durationSec(), words);
    } finally {
      if (!complete) {
        // Cancelled, interrupted or failed: stop the other stretches at their next feed.
        futures.forEach(f -> f.cancel(true));
      }
    }
  }

  /** Where the audio is cut: in the middle of the quietest 300 ms near the target length after the previous cut. */
  static List<Stretch> stretches(Path wav, WavFormat format, double chunkTargetSec)
      throws IOException, InterruptedException {
    int frameSamples = Math.max(1, (int) Math.round(format.sampleRate() * FRAME_SEC));
    float[] energy = SilenceSplitter.frameEnergies(wav, format, frameSamples);
    return SilenceSplitter.split(
        energy,
        frameSamples,
        format.samples(),
        (int) Math.round(chunkTargetSec / FRAME_SEC),
        (int) Math.round(PAUSE_WINDOW_SEC / FRAME_SEC));
  }

  /** Recognises one stretch with its own recogniser, on the source timeline. */
  private static List<Word> recognise(Model model, Path wav, WavFormat format, Stretch stretch, AtomicLong samplesDone)
      throws IOException, InterruptedException {
    double offsetSec = (double) stretch.start() / format.sampleRate();
    List<Word> words = new ArrayList<>();
    byte[] bytes = new byte[FEED_BYTES];
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    try (FileChannel ch = FileChannel.open(wav, StandardOpenOption.READ);
        Recognizer recognizer = new Recognizer(model, format.sampleRate())) {
      recognizer.setWords(true);
      long pos = format.offsetOf(stretch.start());
      long end = format.offsetOf(stretch.end());
      while (pos < end) {
        if (Thread.interrupted()) {
          throw new InterruptedException("recognition cancelled");
        }
        buf.clear().limit((int) Math.min(FEED_BYTES, end - pos));
        int n = ch.read(buf, pos);
        if (n < 0) {
          break;
        }
        int whole = n & ~1;
        if (whole > 0 && recognizer.acceptWaveForm(bytes, whole)) {
          addWords(recognizer.getResult(), offsetSec, words);
        }
        pos += whole;
        samplesDone.addAndGet(whole / 2);
      }
      addWords(recognizer.getFinalResult(), offsetSec, words);
    } catch (ClosedByInterruptException e) {
      throw (InterruptedException) new InterruptedException("recognition cancelled").initCause(e);
    }
    return words;
  }

  private static void addWords(String resultJson, double offsetSec, List<Word> words) throws IOException {
    JsonNode result = JSON.readTree(resultJson).path("result");
    for (JsonNode w : result) {
      String text = w.path("word").asText("");
      if (text.isEmpty() || "[unk]".equals(text)) {
        continue;
      }
      words.add(
          new Word(
              text,
              millis(offsetSec + w.path("start").asDouble()),
              millis(offsetSec + w.path("end").asDouble()),
              w.path("conf").asDouble(1.0)));
    }
  }

  private static double millis(double sec) {
    return Math.round(sec * 1000) / 1000.0;
  }

  private static double fraction(long done, long total) {
    return total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
  }

  static boolean isEnglish(String language) {
    if (language == null || language.isBlank() || "auto".equalsIgnoreCase(language.trim())) {
      return true;
    }
    String l = language.trim().toLowerCase(Locale.ROOT);
    return l.equals("en") || l.startsWith("en-") || l.startsWith("en_");
  }

  /** The shared model, loading it on a side thread so the caller keeps reporting progress (heartbeats) meanwhile. */
  private Model model(ProgressListener listener) throws IOException, InterruptedException {
    FutureTask<Model> task;
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the Vosk engine is shut down");
      }
      if (loading == null || (loading.isDone() && loaded(loading) == null)) {
        loading = new FutureTask<>(this::load);
        DaemonThreads.named("vosk-model-load-").newThread(loading).start();
      }
      task = loading;
    }
    try {
      return await(task, () -> listener.onProgress(0));
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("cannot load the Vosk model", e);
    }
  }

  private Model load() throws IOException {
    Path dir = locator.locate();
    LibVosk.setLogLevel(LogLevel.WARNINGS);
    Model model = new Model(dir.toString());
    modelDir = dir;
    return model;
  }

  /** The loaded model, or null if loading failed; waits for a load in progress. */
  private static Model loaded(FutureTask<Model> task) throws InterruptedException {
    try {
      return task.get();
    } catch (ExecutionException | CancellationException e) {
      return null;
    }
  }

  /** Waits for a future, ticking while it runs; rethrows what the task threw. */
  private static <T> T await(Future<T> future, Runnable tick) throws Exception {
    while (true) {
      try {
        return future.get(PROGRESS_EVERY_MS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        tick.run();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception ex) {
          throw ex;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw e;
      }
    }
  }

  /** Stops the recognisers and frees the model. */
  @Override
  public void close() {
    FutureTask<Model> task;
    synchronized (lock) {
      closed = true;
      task = loading;
    }
    pool.shutdownNow();
    try {
      // A recogniser still inside a native call must finish before its model is freed.
      Model model = task == null ? null : loaded(task);
      if (model != null && pool.awaitTermination(30, TimeUnit.SECONDS)) {
        model.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

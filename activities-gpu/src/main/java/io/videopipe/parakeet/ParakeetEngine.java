package io.videopipe.parakeet;

import ai.onnxruntime.OrtException;
import io.videopipe.concurrent.DaemonThreads;
import io.videopipe.parakeet.SileroVad.Span;
import io.videopipe.route.Engine;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.TranscriptionEngine;
import io.videopipe.transcribe.Word;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parakeet-TDT on ONNX Runtime: Silero VAD cuts the audio into speech segments of at most {@code maxSegmentSec}, the
 * segments are padded into batches for one encoder run each, and the batch's segments are decoded greedily together
 * (one decoder+joint run advances all of them). One model (two
 * sessions) serves every transcription of the worker; cancellation is honoured between batches.
 *
 * <p>Transcriptions running at once on the worker share encoder batches through an {@link EncoderBatcher}: each submits
 * up to {@code batchSize} segments at a time, and segments of different jobs fill the same encoder run. Decoding runs
 * on each transcription's own thread.
 */
public final class ParakeetEngine implements TranscriptionEngine, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ParakeetEngine.class);

  /**
   * @param modelDir the ONNX export ({@code PARAKEET_MODEL_DIR})
   * @param model how the sessions run (provider, int8, threads)
   * @param maxSegmentSec longest VAD segment
   * @param batchSize segments per encoder run
   * @param batchLingerMillis how long a partial encoder batch waits for segments of other transcriptions on the
   *     worker (it never waits when every running transcription already has segments in it); 0 never waits
   * @param vadOnGpu run Silero VAD on the model's CUDA device, in {@link SileroVad.Chunking#gpu()} chunks, when the
   *     model runs on one; false (or a model on the CPU) keeps it on the CPU cores in {@link
   *     SileroVad.Chunking#defaults()} chunks
   */
  public record Settings(
      Path modelDir,
      ParakeetModel.Options model,
      double maxSegmentSec,
      int batchSize,
      long batchLingerMillis,
      boolean vadOnGpu) {
    public static final long DEFAULT_BATCH_LINGER_MILLIS = 15;

    public Settings {
      if (maxSegmentSec < 1 || maxSegmentSec > 600) {
        throw new IllegalArgumentException("maxSegmentSec must be within 1..600, is " + maxSegmentSec);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1, is " + batchSize);
      }
      if (batchLingerMillis < 0 || batchLingerMillis > 60_000) {
        throw new IllegalArgumentException("batchLingerMillis must be within 0..60000, is " + batchLingerMillis);
      }
    }

    /** The default linger, and VAD on the model's device. */
    public Settings(Path modelDir, ParakeetModel.Options model, double maxSegmentSec, int batchSize) {
      this(modelDir, model, maxSegmentSec, batchSize, DEFAULT_BATCH_LINGER_MILLIS, true);
    }
  }

  /** Segments queued for the encoder at most, in batches: bounds the feature memory of a busy worker. */
  static final int QUEUED_BATCHES = 4;

  /**
   * Wall time per stage of one transcription, for the benchmark. {@code encoderSec} is the time spent waiting for the
   * encoder, which includes segments of other transcriptions batched with this one's.
   */
  public record Timings(double audioSec, double vadSec, double frontendSec, double encoderSec, double decoderSec) {
    public double totalSec() {
      return vadSec + frontendSec + encoderSec + decoderSec;
    }
  }

  /** A transcript with the time each stage took. */
  public record Result(Transcript transcript, Timings timings, int segments) {}

  private final Settings settings;
  private final ParakeetModel model;
  private final SileroVad vad;
  private final TdtDecoder decoder;
  private final EncoderBatcher batcher;
  /** One frontend per frontend thread: it owns its scratch buffers. */
  private static final ThreadLocal<MelFrontend> FRONTEND = ThreadLocal.withInitial(MelFrontend::new);
  private final ExecutorService frontendPool;

  private ParakeetEngine(Settings settings, ParakeetModel model, SileroVad vad) {
    this.settings = settings;
    this.model = model;
    this.vad = vad;
    this.decoder = new TdtDecoder(model, TdtDecoder.DEFAULT_MAX_SYMBOLS_PER_FRAME);
    this.batcher =
        new EncoderBatcher(
            model::encode, settings.batchSize(), settings.batchLingerMillis(),
            QUEUED_BATCHES * settings.batchSize());
    this.frontendPool =
        Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), DaemonThreads.named("parakeet-frontend-"));
  }

  /** Validates and loads the model directory; fails with an {@link InvalidModelException} that says what is wrong. */
  public static ParakeetEngine load(Settings settings) {
    ParakeetModel model = ParakeetModel.load(settings.modelDir(), settings.model());
    try {
      boolean vadOnGpu = settings.vadOnGpu() && model.cudaDevice().isPresent();
      SileroVad vad =
          new SileroVad(
              model.env(),
              vadOnGpu ? SileroVad.Chunking.gpu() : SileroVad.Chunking.defaults(),
              vadOnGpu ? model.cudaDevice() : OptionalInt.empty());
      ParakeetEngine engine = new ParakeetEngine(settings, model, vad);
      log.info(
          "Parakeet encoder batches up to {} segments, shared by concurrent transcriptions (linger {} ms); "
              + "Silero VAD on {} ({})",
          settings.batchSize(), settings.batchLingerMillis(), vad.provider(), vad.chunking());
      return engine;
    } catch (OrtException | RuntimeException e) {
      model.close();
      throw new InvalidModelException("cannot load the Silero VAD model: " + e.getMessage(), e);
    }
  }

  public Settings settings() {
    return settings;
  }

  public ParakeetModel model() {
    return model;
  }

  /** "CUDA device N" or "CPU": where Silero VAD runs. */
  public String vadProvider() {
    return vad.provider();
  }

  /** The encoder queue shared by this engine's transcriptions (its counters are the tests' view of batching). */
  EncoderBatcher batcher() {
    return batcher;
  }

  /** Encoder runs so far, over every transcription of this engine (with {@link #segmentsEncoded}: the batch fill). */
  public long encoderRuns() {
    return batcher.encoderRuns();
  }

  /** Segments encoded so far. */
  public long segmentsEncoded() {
    return batcher.segmentsEncoded();
  }

  @Override
  public Availability availability() {
    return new Availability(
        true,
        "Parakeet model " + settings.modelDir() + " on " + model.provider() + ", batch " + settings.batchSize()
            + " shared across jobs, VAD on " + vad.provider());
  }

  @Override
  public Transcript transcribe(Path wav, String language, ProgressListener progress) throws Exception {
    return transcribe(Pcm16Wav.read(wav), language, progress).transcript();
  }

  /** Transcribes 16 kHz mono samples; progress is the share of segments done. */
  public Result transcribe(float[] audio, String language, ProgressListener progress)
      throws OrtException, InterruptedException {
    ProgressListener listener = progress == null ? fraction -> {} : progress;
    double audioSec = audio.length / (double) MelFrontend.SAMPLE_RATE;
    long t0 = System.nanoTime();
    List<Span> spans = vad.speech(audio, SileroVad.Settings.defaults(settings.maxSegmentSec()));
    double vadSec = (System.nanoTime() - t0) / 1e9;

    // Similar lengths share a batch, so little of the encoder's work is padding. A span shorter than one feature
    // frame has nothing to encode.
    List<Span> order = new ArrayList<>();
    for (Span s : spans) {
      if (MelFrontend.validFrames(s.length()) > 0) {
        order.add(s);
      }
    }
    order.sort(Comparator.comparingInt(Span::length).reversed());
    List<Word> words = new ArrayList<>();
    double frontendSec = 0;
    double encoderSec = 0;
    double decoderSec = 0;
    // Closing the client drops whatever a failed or cancelled transcription left in the encoder queue.
    try (EncoderBatcher.Client encoder = batcher.open()) {
      for (int from = 0; from < order.size(); from += settings.batchSize()) {
        if (Thread.interrupted()) {
          throw new InterruptedException("Parakeet transcription cancelled");
        }
        List<Span> batch = order.subList(from, Math.min(order.size(), from + settings.batchSize()));
        long a = System.nanoTime();
        List<EncoderBatcher.Features> features = features(audio, batch);
        long e = System.nanoTime();
        List<CompletableFuture<EncoderBatcher.Encoded>> pending = encoder.submit(features);
        List<EncoderBatcher.Encoded> encoded = new ArrayList<>(pending.size());
        for (CompletableFuture<EncoderBatcher.Encoded> p : pending) {
          encoded.add(EncoderBatcher.await(p));
        }
        long d = System.nanoTime();
        List<TdtDecoder.Segment> segments = new ArrayList<>(batch.size());
        for (EncoderBatcher.Encoded enc : encoded) {
          segments.add(new TdtDecoder.Segment(enc.batch().values(), enc.base(), enc.stride(), enc.length()));
        }
        List<List<TdtDecoder.Token>> tokens = decoder.decode(segments);
        for (int b = 0; b < batch.size(); b++) {
          words.addAll(
              words(tokens.get(b), model.vocabulary(), batch.get(b).start() / (double) MelFrontend.SAMPLE_RATE,
                  model.frameSec()));
        }
        long end = System.nanoTime();
        frontendSec += (e - a) / 1e9;
        encoderSec += (d - e) / 1e9;
        decoderSec += (end - d) / 1e9;
        listener.onProgress((double) Math.min(order.size(), from + batch.size()) / order.size());
      }
    }
    words.sort(Comparator.comparingDouble(Word::start));
    listener.onProgress(1.0);
    String lang = language == null || language.isBlank() || "auto".equalsIgnoreCase(language) ? "en" : language;
    Transcript transcript = new Transcript(Engine.PARAKEET.wireName(), lang.toLowerCase(Locale.ROOT), audioSec, words);
    Timings timings = new Timings(audioSec, vadSec, frontendSec, encoderSec, decoderSec);
    log.debug("Parakeet: {} s of audio, {} segments, {}", audioSec, spans.size(), timings);
    return new Result(transcript, timings, spans.size());
  }

  /**
   * The log-mel features of a batch's segments, computed side by side on the engine's frontend threads (one per core,
   * shared by every transcription of the worker): on a GPU worker the frontend is CPU work in the encoder's path.
   */
  private List<EncoderBatcher.Features> features(float[] audio, List<Span> batch) throws InterruptedException {
    List<Future<EncoderBatcher.Features>> pending = new ArrayList<>(batch.size());
    try {
      for (Span s : batch) {
        pending.add(
            frontendPool.submit(
                () -> {
                  int frames = MelFrontend.validFrames(s.length());
                  float[] values = new float[MelFrontend.N_MELS * frames];
                  FRONTEND.get().compute(audio, s.start(), s.length(), values, 0, frames);
                  return new EncoderBatcher.Features(values, frames);
                }));
      }
      List<EncoderBatcher.Features> features = new ArrayList<>(batch.size());
      for (Future<EncoderBatcher.Features> f : pending) {
        try {
          features.add(f.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("frontend failed: " + e.getCause(), e.getCause());
        }
      }
      return features;
    } finally {
      for (Future<EncoderBatcher.Features> f : pending) {
        f.cancel(true);
      }
    }
  }

  /**
   * Tokens to words: a token starting with {@code ▁} starts a word. A word starts at its first token's frame and ends
   * where its last token's predicted duration (at least one frame) ends; its confidence is its tokens' mean.
   */
  static List<Word> words(List<TdtDecoder.Token> tokens, Vocabulary vocab, double offsetSec, double frameSec) {
    List<Word> words = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    double start = 0;
    double end = 0;
    double confidence = 0;
    int parts = 0;
    for (TdtDecoder.Token token : tokens) {
      String piece = vocab.token(token.id());
      if (piece.startsWith("<") && piece.endsWith(">")) {
        continue; // <unk> and other control tokens carry no text
      }
      boolean starts = piece.startsWith(Vocabulary.WORD_START);
      if (starts) {
        piece = piece.substring(Vocabulary.WORD_START.length());
      }
      if ((starts || parts == 0) && parts > 0 && !text.isEmpty()) {
        words.add(new Word(text.toString(), start, end, confidence / parts));
      }
      if (starts || parts == 0) {
        text.setLength(0);
        start = offsetSec + token.frame() * frameSec;
        confidence = 0;
        parts = 0;
      }
      text.append(piece);
      end = offsetSec + (token.frame() + Math.max(1, token.duration())) * frameSec;
      confidence += token.confidence();
      parts++;
    }
    if (parts > 0 && !text.isEmpty()) {
      words.add(new Word(text.toString(), start, end, confidence / parts));
    }
    return words;
  }

  @Override
  public void close() throws OrtException {
    try {
      frontendPool.shutdownNow();
      batcher.close();
      vad.close();
    } finally {
      model.close();
    }
  }
}

package io.videopipe.parakeet;

import static io.videopipe.parakeet.SyntheticParakeet.writeDesigned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtException;
import io.videopipe.transcribe.Word;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encoder batches shared by concurrent transcriptions, on the synthetic model: the same words and times as one
 * transcription at a time with no batching at all, fewer encoder runs than segments, and cancelled callers that leave
 * nothing behind. No assertion depends on timing: where a test needs segments of several callers in one batch it holds
 * the batch open with a client of its own and a long linger, and it waits for queue states rather than for time.
 */
@Timeout(180)
class EncoderBatcherTest {
  /** Long enough that a batch never leaves early in these tests; a batch that did would fail their run counts. */
  static final long HOLD_MILLIS = 60_000;

  @TempDir Path dir;

  /** Three inputs with different segment counts and timelines: the sample, its first two sentences, a shifted copy. */
  static List<float[]> inputs() throws Exception {
    float[] sample = Pcm16Wav.read(SileroVadTest.SAMPLE);
    float[] twoSentences = Arrays.copyOf(sample, (int) (8.1 * MelFrontend.SAMPLE_RATE));
    float[] shifted = new float[sample.length + (int) (1.3 * MelFrontend.SAMPLE_RATE)];
    System.arraycopy(sample, 0, shifted, shifted.length - sample.length, sample.length);
    return List.of(sample, twoSentences, shifted);
  }

  @Test
  void concurrentTranscriptionsShareEncoderBatchesAndGetTheWordsOfUnbatchedSequentialRuns() throws Exception {
    Path model = writeDesigned(dir);
    List<float[]> inputs = inputs();

    // Reference: one transcription at a time, one segment per encoder run.
    List<List<Word>> sequential = new ArrayList<>();
    int segments = 0;
    try (ParakeetEngine engine =
        ParakeetEngine.load(new ParakeetEngine.Settings(model, ParakeetModel.Options.cpu(), 20, 1))) {
      for (float[] audio : inputs) {
        ParakeetEngine.Result r = engine.transcribe(audio, "en", null);
        sequential.add(r.transcript().words());
        segments += r.segments();
      }
      assertThat(engine.batcher().encoderRuns()).isEqualTo(segments);
    }
    assertThat(segments).isEqualTo(3 + 2 + 3);
    assertThat(sequential.get(0)).extracting(Word::text).containsExactly(
        "the", "pipeline", "works", "the", "pipeline", "works", "the", "pipeline", "works");
    assertThat(sequential.get(1)).hasSize(6);

    // All three at once, with a batch that holds every segment: one encoder run serves the three transcriptions.
    ExecutorService pool = Executors.newFixedThreadPool(inputs.size());
    try (ParakeetEngine engine =
        ParakeetEngine.load(
            new ParakeetEngine.Settings(model, ParakeetModel.Options.cpu(), 20, segments, HOLD_MILLIS, true))) {
      EncoderBatcher batcher = engine.batcher();
      List<Future<ParakeetEngine.Result>> results = new ArrayList<>();
      try (EncoderBatcher.Client hold = batcher.open()) {
        for (float[] audio : inputs) {
          results.add(pool.submit(() -> engine.transcribe(audio, "en", null)));
        }
        for (int i = 0; i < inputs.size(); i++) {
          assertThat(results.get(i).get(120, TimeUnit.SECONDS).transcript().words())
              .as("transcript %d", i)
              .isEqualTo(sequential.get(i));
        }
      }
      assertThat(batcher.encoderRuns()).isEqualTo(1);
      assertThat(batcher.segmentsEncoded()).isEqualTo(segments);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void withTheDefaultLingerManyConcurrentTranscriptionsStillMatchSequentialOnes() throws Exception {
    Path model = writeDesigned(dir);
    List<float[]> inputs = new ArrayList<>(inputs());
    inputs.addAll(inputs());
    ExecutorService pool = Executors.newFixedThreadPool(inputs.size());
    try (ParakeetEngine engine =
        ParakeetEngine.load(new ParakeetEngine.Settings(model, ParakeetModel.Options.cpu(), 20, 4))) {
      List<List<Word>> sequential = new ArrayList<>();
      for (float[] audio : inputs) {
        sequential.add(engine.transcribe(audio, "en", null).transcript().words());
      }
      long runsBefore = engine.batcher().encoderRuns();
      long segmentsBefore = engine.batcher().segmentsEncoded();
      for (int round = 0; round < 3; round++) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ParakeetEngine.Result>> results = new ArrayList<>();
        for (float[] audio : inputs) {
          results.add(pool.submit(() -> {
            start.await();
            return engine.transcribe(audio, "en", null);
          }));
        }
        start.countDown();
        for (int i = 0; i < inputs.size(); i++) {
          assertThat(results.get(i).get(120, TimeUnit.SECONDS).transcript().words()).isEqualTo(sequential.get(i));
        }
      }
      long segments = engine.batcher().segmentsEncoded() - segmentsBefore;
      assertThat(segments).isEqualTo(3 * 16);
      // However the threads interleave, a chunk of two or more segments submitted at once shares a run.
      assertThat(engine.batcher().encoderRuns() - runsBefore).isLessThan(segments);
      assertThat(engine.batcher().queued()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCancelledTranscriptionsQueuedSegmentsAreDroppedAndTheOthersGoOn() throws Exception {
    Path model = writeDesigned(dir);
    float[] audio = Pcm16Wav.read(SileroVadTest.SAMPLE);
    try (ParakeetEngine engine =
        ParakeetEngine.load(new ParakeetEngine.Settings(model, ParakeetModel.Options.cpu(), 20, 8, HOLD_MILLIS, true))) {
      EncoderBatcher batcher = engine.batcher();
      AtomicReference<Throwable> cancelledFailure = new AtomicReference<>();
      AtomicReference<ParakeetEngine.Result> other = new AtomicReference<>();
      AtomicReference<Throwable> otherFailure = new AtomicReference<>();
      Thread cancelled;
      Thread survivor;
      try (EncoderBatcher.Client hold = batcher.open()) {
        cancelled = new Thread(() -> {
          try {
            engine.transcribe(audio, "en", null);
          } catch (Throwable e) {
            cancelledFailure.set(e);
          }
        });
        survivor = new Thread(() -> {
          try {
            other.set(engine.transcribe(audio, "en", null));
          } catch (Throwable e) {
            otherFailure.set(e);
          }
        });
        cancelled.start();
        survivor.start();
        // Both have their three segments queued; the held-open batch (8) is not full, so nothing has run.
        awaitCondition(() -> batcher.queued() == 6);
        assertThat(batcher.encoderRuns()).isZero();

        cancelled.interrupt();
        cancelled.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(cancelled.isAlive()).isFalse();
        assertThat(cancelledFailure.get()).isInstanceOf(InterruptedException.class);
        assertThat(batcher.queued()).isEqualTo(3);
        assertThat(survivor.isAlive()).isTrue();
      }
      // The hold is gone: the survivor's segments are every open client's, so they run without lingering.
      survivor.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(otherFailure.get()).isNull();
      assertThat(other.get().transcript().text())
          .isEqualTo("the pipeline works the pipeline works the pipeline works");
      assertThat(batcher.encoderRuns()).isEqualTo(1);
      assertThat(batcher.segmentsEncoded()).isEqualTo(3);
      assertThat(batcher.queued()).isZero();
    }
  }

  @Test
  void aFullQueueMakesSubmittersWaitAndAFailedRunFailsOnlyItsOwnSegments() throws Exception {
    try (ParakeetModel model = ParakeetModel.load(writeDesigned(dir), ParakeetModel.Options.cpu())) {
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch gate = new CountDownLatch(1);
      EncoderBatcher.Encoder encoder = (features, batch, frames, lengths) -> {
        entered.countDown();
        try {
          gate.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        if (lengths[0] == 13) {
          throw new OrtException("synthetic encoder failure");
        }
        return model.encode(features, batch, frames, lengths);
      };
      try (EncoderBatcher batcher = new EncoderBatcher(encoder, 2, 0, 2);
          EncoderBatcher.Client a = batcher.open();
          EncoderBatcher.Client b = batcher.open()) {
        List<CompletableFuture<EncoderBatcher.Encoded>> first = a.submit(List.of(features(64), features(40)));
        assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue();
        // The dispatcher is inside the encoder with the first batch; two more segments fill the queue.
        List<CompletableFuture<EncoderBatcher.Encoded>> second = a.submit(List.of(features(13), features(16)));
        assertThat(batcher.queued()).isEqualTo(2);

        AtomicReference<List<CompletableFuture<EncoderBatcher.Encoded>>> third = new AtomicReference<>();
        Thread blocked = new Thread(() -> {
          try {
            third.set(b.submit(List.of(features(24))));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        blocked.start();
        awaitCondition(() -> blocked.getState() == Thread.State.WAITING);
        assertThat(third.get()).isNull();
        assertThat(batcher.queued()).isEqualTo(2);

        gate.countDown();
        blocked.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(third.get()).hasSize(1);

        // Segments of different lengths in one batch: each keeps its own encoded length (ceil(frames / 8)).
        assertThat(EncoderBatcher.await(first.get(0)).length()).isEqualTo(8);
        assertThat(EncoderBatcher.await(first.get(1)).length()).isEqualTo(5);
        EncoderBatcher.Encoded shorter = EncoderBatcher.await(first.get(1));
        assertThat(shorter.batch().values()[shorter.base() + 4]).isEqualTo(4f);
        for (CompletableFuture<EncoderBatcher.Encoded> failed : second) {
          assertThatThrownBy(() -> EncoderBatcher.await(failed))
              .isInstanceOf(OrtException.class)
              .hasMessageContaining("synthetic encoder failure");
        }
        // The dispatcher survived the failure.
        assertThat(EncoderBatcher.await(third.get().get(0)).length()).isEqualTo(3);
        assertThat(batcher.encoderRuns()).isEqualTo(3);
        assertThat(batcher.segmentsEncoded()).isEqualTo(3);
      }
    }
  }

  @Test
  void closingTheBatcherFailsWhatIsQueuedAndRefusesNewClients() throws Exception {
    EncoderBatcher.Encoder never = (features, batch, frames, lengths) -> {
      throw new AssertionError("no batch should run");
    };
    EncoderBatcher batcher = new EncoderBatcher(never, 4, HOLD_MILLIS, 8);
    EncoderBatcher.Client a = batcher.open();
    batcher.open(); // holds the batch open
    List<CompletableFuture<EncoderBatcher.Encoded>> queued = a.submit(List.of(features(8)));
    batcher.close();
    assertThatThrownBy(() -> EncoderBatcher.await(queued.get(0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(batcher::open).isInstanceOf(IllegalStateException.class);
    assertThat(batcher.encoderRuns()).isZero();
  }

  static EncoderBatcher.Features features(int frames) {
    return new EncoderBatcher.Features(new float[MelFrontend.N_MELS * frames], frames);
  }

  /** Waits for a state the test cannot observe otherwise; fails (instead of hanging) if it never comes. */
  static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the condition was not reached within 120 s");
      }
      Thread.sleep(5);
    }
  }
}

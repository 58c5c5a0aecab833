package io.videopipe.parakeet;

import ai.onnxruntime.OrtException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small batching queue in front of the encoder session, shared by every transcription of the worker: segments that
 * concurrent transcriptions submit are padded into one encoder run, so several short jobs fill a GPU batch that each
 * alone would leave mostly empty. Decoding stays on the callers' threads.
 *
 * <p>One dispatcher thread takes the queued segments in arrival order and runs the encoder when {@code maxBatch} of them
 * are queued, when every open {@link Client} already has segments in the batch (no one else is about to add any: each
 * transcription submits one chunk and waits for it), or when the oldest has waited {@code linger}. The queue holds at
 * most {@code capacity} segments: {@link Client#submit} blocks (interruptibly) until there is room, which bounds the
 * feature memory of a busy worker. Closing a client (its transcription finished, failed or was cancelled) drops its
 * segments that are still queued.
 */
final class EncoderBatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EncoderBatcher.class);

  /** The encoder: features {@code [batch, 128, frames]} with each item's valid frame count. */
  @FunctionalInterface
  interface Encoder {
    ParakeetModel.Encoded encode(float[] features, int batch, int frames, long[] lengths) throws OrtException;
  }

  /** One segment's features: {@code [128, frames]} row-major, all frames valid. */
  record Features(float[] values, int frames) {
    Features {
      if (frames < 1 || values.length != MelFrontend.N_MELS * frames) {
        throw new IllegalArgumentException(
            "features of " + frames + " frames need " + MelFrontend.N_MELS * frames + " values, got "
                + values.length);
      }
    }
  }

  /**
   * One segment's encoder output, a view into its batch: channel {@code c} of frame {@code t} is at {@code
   * batch.values()[base() + c * batch.frames() + t]} for {@code t < length()}.
   */
  record Encoded(ParakeetModel.Encoded batch, int index) {
    int base() {
      return index * batch.dim() * batch.frames();
    }

    int stride() {
      return batch.frames();
    }

    int length() {
      return (int) batch.lengths()[index];
    }
  }

  private record Request(Client client, Features features, CompletableFuture<Encoded> result) {}

  private final Encoder encoder;
  private final int maxBatch;
  private final long lingerNanos;
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final Condition room = lock.newCondition();
  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  private final Set<Client> open = new HashSet<>();
  private final AtomicLong encoderRuns = new AtomicLong();
  private final AtomicLong segmentsEncoded = new AtomicLong();
  private final Thread dispatcher;
  private boolean closed;

  /**
   * @param maxBatch segments per encoder run
   * @param lingerMillis how long a partial batch waits for segments of other transcriptions; 0 runs at once
   * @param capacity segments queued at most (at least {@code maxBatch}); submitters wait for room beyond it
   */
  EncoderBatcher(Encoder encoder, int maxBatch, long lingerMillis, int capacity) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, is " + maxBatch);
    }
    if (lingerMillis < 0) {
      throw new IllegalArgumentException("lingerMillis must not be negative, is " + lingerMillis);
    }
    if (capacity < maxBatch) {
      throw new IllegalArgumentException("capacity " + capacity + " is below the batch size " + maxBatch);
    }
    this.encoder = encoder;
    this.maxBatch = maxBatch;
    this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(lingerMillis);
    this.capacity = capacity;
    this.dispatcher = new Thread(this::dispatch, "parakeet-encoder");
    dispatcher.setDaemon(true);
    dispatcher.start();
  }

  int maxBatch() {
    return maxBatch;
  }

  /** Encoder runs so far (for tests and metrics). */
  long encoderRuns() {
    return encoderRuns.get();
  }

  /** Segments encoded so far. */
  long segmentsEncoded() {
    return segmentsEncoded.get();
  }

  /** Segments waiting for an encoder run. */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** A transcription's handle: it submits through it and closes it when done, which drops what it left queued. */
  Client open() {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the Parakeet encoder is closed");
      }
      Client client = new Client();
      open.add(client);
      return client;
    } finally {
      lock.unlock();
    }
  }

  final class Client implements AutoCloseable {
    private Client() {}

    /**
     * Queues the segments together (they land in the same batch when it has room) and returns their results in the
     * same order. Waits while the queue is full.
     */
    List<CompletableFuture<Encoded>> submit(List<Features> segments) throws InterruptedException {
      if (segments.size() > maxBatch) {
        throw new IllegalArgumentException(segments.size() + " segments exceed the batch size " + maxBatch);
      }
      List<CompletableFuture<Encoded>> results = new ArrayList<>(segments.size());
      lock.lockInterruptibly();
      try {
        while (!closed && open.contains(this) && queue.size() + segments.size() > capacity) {
          room.await();
        }
        if (closed || !open.contains(this)) {
          throw new IllegalStateException("the Parakeet encoder is closed");
        }
        for (Features f : segments) {
          CompletableFuture<Encoded> result = new CompletableFuture<>();
          queue.add(new Request(this, f, result));
          results.add(result);
        }
        arrived.signalAll();
      } finally {
        lock.unlock();
      }
      return results;
    }

    /** Drops this client's queued segments (their futures are cancelled); a batch already running completes. */
    @Override
    public void close() {
      lock.lock();
      try {
        if (!open.remove(this)) {
          return;
        }
        int before = queue.size();
        queue.removeIf(
            r -> {
              if (r.client() == this) {
                r.result().cancel(false);
                return true;
              }
              return false;
            });
        if (queue.size() != before) {
          room.signalAll();
        }
        // The client set changed: a lingering batch may now hold every open client's segments.
        arrived.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** The result of a submitted segment: the encoder's failure is rethrown as it was thrown. */
  static Encoded await(CompletableFuture<Encoded> result) throws OrtException, InterruptedException {
    try {
      return result.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof OrtException o) {
        throw o;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (CancellationException e) {
      throw new IllegalStateException("the segment was dropped from the encoder queue", e);
    }
  }

  private void dispatch() {
    while (true) {
      List<Request> batch;
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        return;
      }
      if (batch == null) {
        return;
      }
      run(batch);
    }
  }

  /** Waits for a batch to be ready and takes it off the queue; null once closed. */
  private List<Request> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        while (!closed && queue.isEmpty()) {
          arrived.await();
        }
        if (closed) {
          return null;
        }
        long deadline = System.nanoTime() + lingerNanos;
        while (!closed && !queue.isEmpty() && !ready()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          arrived.awaitNanos(left);
        }
        if (closed) {
          return null;
        }
        if (queue.isEmpty()) {
          continue; // every queued segment's client went away while lingering
        }
        List<Request> batch = new ArrayList<>(Math.min(maxBatch, queue.size()));
        while (batch.size() < maxBatch && !queue.isEmpty()) {
          batch.add(queue.poll());
        }
        room.signalAll();
        return batch;
      }
    } finally {
      lock.unlock();
    }
  }

  /** A full batch, or one that holds segments of every open client. Called with the lock held. */
  private boolean ready() {
    if (queue.size() >= maxBatch) {
      return true;
    }
    Set<Client> waiting = new HashSet<>();
    for (Request r : queue) {
      waiting.add(r.client());
    }
    return waiting.containsAll(open);
  }

  private void run(List<Request> batch) {
    int frames = 0;
    for (Request r : batch) {
      frames = Math.max(frames, r.features().frames());
    }
    int n = batch.size();
    float[] features = new float[n * MelFrontend.N_MELS * frames];
    long[] lengths = new long[n];
    for (int b = 0; b < n; b++) {
      Features f = batch.get(b).features();
      lengths[b] = f.frames();
      for (int m = 0; m < MelFrontend.N_MELS; m++) {
        System.arraycopy(
            f.values(), m * f.frames(), features, (b * MelFrontend.N_MELS + m) * frames, f.frames());
      }
    }
    try {
      ParakeetModel.Encoded encoded = encoder.encode(features, n, frames, lengths);
      encoderRuns.incrementAndGet();
      segmentsEncoded.addAndGet(n);
      for (int b = 0; b < n; b++) {
        batch.get(b).result().complete(new Encoded(encoded, b));
      }
    } catch (Throwable e) {
      encoderRuns.incrementAndGet();
      log.warn("Parakeet encoder run of {} segments failed: {}", n, e.toString());
      // The callers rethrow it; the dispatcher stays up for the next batch.
      for (Request r : batch) {
        r.result().completeExceptionally(e);
      }
    }
  }

  /** Stops the dispatcher after the batch it is running; queued segments fail. */
  @Override
  public void close() {
    List<Request> dropped;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      dropped = new ArrayList<>(queue);
      queue.clear();
      open.clear();
      arrived.signalAll();
      room.signalAll();
    } finally {
      lock.unlock();
    }
    for (Request r : dropped) {
      r.result().completeExceptionally(new IllegalStateException("the Parakeet encoder is closed"));
    }
    try {
      dispatcher.join(TimeUnit.SECONDS.toMillis(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

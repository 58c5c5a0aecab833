package io.videopipe.events;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter.SseEventBuilder;

/**
 * Every server-sent event stream of the service (the API's JSON streams and the dashboard's HTML ones). A stream is an
 * {@link SseEmitter} plus a {@link Source} polled on one small shared scheduler: an idle connection holds no thread,
 * only its emitter. Each API key may hold at most {@link EventsProperties#maxStreamsPerKey()} streams.
 */
@Component
@Profile({"local", "api"})
@EnableConfigurationProperties(EventsProperties.class)
public class JobEvents {
  private static final Logger log = LoggerFactory.getLogger(JobEvents.class);

  /** What one poll of a stream found: events to send (empty when nothing changed), and whether the stream ends. */
  public record Poll(List<SseEventBuilder> events, boolean last) {
    public static final Poll NOTHING = new Poll(List.of(), false);
  }

  /** Looks for a change; called on the shared scheduler, never concurrently for one stream. */
  @FunctionalInterface
  public interface Source {
    Poll poll() throws Exception;
  }

  private final EventsProperties props;
  private final ScheduledExecutorService scheduler;
  private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

  public JobEvents(EventsProperties props) {
    this.props = props;
    AtomicInteger n = new AtomicInteger();
    this.scheduler =
        Executors.newScheduledThreadPool(
            Math.max(1, props.threads()),
            r -> {
              Thread t = new Thread(r, "sse-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Streams open now for a key (for tests and the metrics). */
  public int openStreams(String keyName) {
    AtomicInteger c = open.get(keyName);
    return c == null ? 0 : c.get();
  }

  /**
   * Opens a stream for {@code keyName}: {@code source} is polled at once and then every poll interval until it says
   * {@link Poll#last()}, the client goes away or the stream times out.
   *
   * @throws TooManyStreamsException when the key already holds its maximum of open streams
   */
  public SseEmitter open(String keyName, Source source) {
    AtomicInteger count = open.computeIfAbsent(keyName, k -> new AtomicInteger());
    if (count.incrementAndGet() > props.maxStreamsPerKey()) {
      count.decrementAndGet();
      throw new TooManyStreamsException(keyName, props.maxStreamsPerKey());
    }
    SseEmitter emitter = new SseEmitter(props.timeout().toMillis());
    Stream stream = new Stream(emitter, source, count);
    emitter.onCompletion(stream::release);
    emitter.onTimeout(stream::finish);
    emitter.onError(e -> stream.release());
    stream.future =
        scheduler.scheduleWithFixedDelay(stream, 0, props.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    if (stream.released.get()) {
      // it ended in its first poll, before the future was set
      stream.future.cancel(false);
    }
    return emitter;
  }

  @PreDestroy
  void stop() {
    scheduler.shutdownNow();
  }

  private final class Stream implements Runnable {
    private final SseEmitter emitter;
    private final Source source;
    private final AtomicInteger count;
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicLong lastSent = new AtomicLong(System.nanoTime());
    volatile ScheduledFuture<?> future;

    Stream(SseEmitter emitter, Source source, AtomicInteger count) {
      this.emitter = emitter;
      this.source = source;
      this.count = count;
    }

    @Override
    public void run() {
      if (released.get()) {
        return;
      }
      try {
        Poll poll = source.poll();
        for (SseEventBuilder e : poll.events()) {
          emitter.send(e);
          lastSent.set(System.nanoTime());
        }
        if (poll.last()) {
          finish();
        } else if (System.nanoTime() - lastSent.get() > props.keepAlive().toNanos()) {
          emitter.send(SseEmitter.event().comment("keep-alive"));
          lastSent.set(System.nanoTime());
        }
      } catch (IOException | IllegalStateException e) {
        // the client went away (or the emitter already completed): free the slot
        release();
      } catch (Exception e) {
        log.warn("event stream ended by an error: {}", e.toString());
        try {
          emitter.send(SseEmitter.event().name("error").data(String.valueOf(e.getMessage())));
        } catch (IOException | IllegalStateException ignored) {
          // nothing more to tell a client that is gone
        }
        finish();
      }
    }

    void finish() {
      emitter.complete();
      release();
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        count.decrementAndGet();
        ScheduledFuture<?> f = future;
        if (f != null) {
          f.cancel(false);
        }
      }
    }
  }
}

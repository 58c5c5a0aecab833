package io.videopipe.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The stream hub: a bounded number of streams per key, freed when a stream ends; sources polled until they end. */
class JobEventsTest {
  final JobEvents events =
      new JobEvents(new EventsProperties(2, Duration.ofMinutes(1), Duration.ofMillis(20), Duration.ofSeconds(15), 1));

  @Test
  void aKeyHoldsAtMostItsLimitOfOpenStreams() {
    events.open("alice", () -> JobEvents.Poll.NOTHING);
    events.open("alice", () -> JobEvents.Poll.NOTHING);
    assertThatThrownBy(() -> events.open("alice", () -> JobEvents.Poll.NOTHING))
        .isInstanceOf(TooManyStreamsException.class)
        .hasMessageContaining("videopipe.events.max-streams-per-key");
    // another key has its own allowance
    events.open("bob", () -> JobEvents.Poll.NOTHING);
    assertThat(events.openStreams("alice")).isEqualTo(2);
    assertThat(events.openStreams("bob")).isEqualTo(1);
  }

  @Test
  void aStreamThatEndsFreesItsSlotAndIsNoLongerPolled() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    SseEmitter e =
        events.open("carol", () -> {
          int n = polls.incrementAndGet();
          return new JobEvents.Poll(List.of(SseEmitter.event().name("progress").data(n)), n == 3);
        });
    assertThat(e.getTimeout()).isEqualTo(60_000L);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (events.openStreams("carol") > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(events.openStreams("carol")).isZero();
    Thread.sleep(200);
    assertThat(polls.get()).isEqualTo(3);
    events.open("carol", () -> JobEvents.Poll.NOTHING);
    events.open("carol", () -> JobEvents.Poll.NOTHING);
  }
}

package io.videopipe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.Timestamp;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.ActivityTaskCompletedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskFailedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.ActivityTaskStartedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskTimedOutEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Overhead arithmetic on hand-written histories with known timings. */
class JobTimelineTest {
  private final List<HistoryEvent> events = new ArrayList<>();

  private long add(EventType type, double atSec, HistoryEvent.Builder b) {
    long id = events.size() + 1;
    long sec = (long) Math.floor(atSec);
    events.add(
        b.setEventId(id)
            .setEventType(type)
            .setEventTime(Timestamp.newBuilder().setSeconds(1_700_000_000L + sec).setNanos((int) Math.round((atSec - sec) * 1e9)))
            .build());
    return id;
  }

  private long event(EventType type, double atSec) {
    return add(type, atSec, HistoryEvent.newBuilder());
  }

  private long scheduled(String name, double at) {
    return add(
        EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
        at,
        HistoryEvent.newBuilder()
            .setActivityTaskScheduledEventAttributes(
                ActivityTaskScheduledEventAttributes.newBuilder().setActivityType(ActivityType.newBuilder().setName(name))));
  }

  private long started(long scheduledId, double at) {
    return add(
        EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
        at,
        HistoryEvent.newBuilder()
            .setActivityTaskStartedEventAttributes(
                ActivityTaskStartedEventAttributes.newBuilder().setScheduledEventId(scheduledId)));
  }

  private void completed(long scheduledId, long startedId, double at) {
    add(
        EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
        at,
        HistoryEvent.newBuilder()
            .setActivityTaskCompletedEventAttributes(
                ActivityTaskCompletedEventAttributes.newBuilder()
                    .setScheduledEventId(scheduledId)
                    .setStartedEventId(startedId)));
  }

  @Test
  void overheadIsWallTimeMinusSequentialActivityRuns() {
    event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 0);
    long s1 = scheduled("Download", 0.10);
    long r1 = started(s1, 0.30); // waited 0.2 s for a slot
    completed(s1, r1, 1.30); // ran 1.0 s
    long s2 = scheduled("ExtractAudio", 1.40);
    long r2 = started(s2, 1.45);
    completed(s2, r2, 3.45); // ran 2.0 s
    event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, 4.0);

    JobTimeline t = JobTimeline.of(events);

    assertThat(t.wallSec()).isCloseTo(4.0, within(1e-6));
    assertThat(t.activitySec()).isCloseTo(3.0, within(1e-6));
    assertThat(t.activitySumSec()).isCloseTo(3.0, within(1e-6));
    assertThat(t.overheadSec()).isCloseTo(1.0, within(1e-6));
    assertThat(t.queueWaitSec()).isCloseTo(0.25, within(1e-6));
    assertThat(t.activities()).isEqualTo(2);
  }

  @Test
  void parallelActivitiesCountOnceAndFailedOrTimedOutAttemptsCount() {
    event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 0);
    long a = scheduled("Qa", 1);
    long b = scheduled("Highlight", 1);
    long ra = started(a, 1);
    long rb = started(b, 2);
    completed(a, ra, 5); // 1..5
    add(
        EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
        3,
        HistoryEvent.newBuilder()
            .setActivityTaskFailedEventAttributes(
                ActivityTaskFailedEventAttributes.newBuilder().setScheduledEventId(b).setStartedEventId(rb))); // 2..3
    long c = scheduled("Transcribe", 6);
    long rc = started(c, 6);
    add(
        EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
        8,
        HistoryEvent.newBuilder()
            .setActivityTaskTimedOutEventAttributes(
                ActivityTaskTimedOutEventAttributes.newBuilder().setScheduledEventId(c).setStartedEventId(rc))); // 6..8
    long never = scheduled("Cost", 8);
    add(
        EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
        9,
        HistoryEvent.newBuilder()
            .setActivityTaskTimedOutEventAttributes(
                ActivityTaskTimedOutEventAttributes.newBuilder().setScheduledEventId(never))); // never started
    event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, 10);

    JobTimeline t = JobTimeline.of(events);

    assertThat(t.activitySec()).isCloseTo(6.0, within(1e-6)); // [1,5] u [2,3] u [6,8]
    assertThat(t.activitySumSec()).isCloseTo(7.0, within(1e-6));
    assertThat(t.overheadSec()).isCloseTo(4.0, within(1e-6));
    assertThat(t.activities()).isEqualTo(3);
  }

  @Test
  void aHistoryMustStartWithTheExecution() {
    event(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 0);
    assertThatThrownBy(() -> JobTimeline.of(events)).hasMessageContaining("WorkflowExecutionStarted");
    assertThatThrownBy(() -> JobTimeline.of(List.of())).hasMessageContaining("empty");
  }

  @Test
  void percentilesInterpolateBetweenRanks() {
    List<Double> v = List.of(5.0, 1.0, 3.0, 2.0, 4.0);
    assertThat(Stats.median(v)).isEqualTo(3.0);
    assertThat(Stats.percentile(v, 95)).isCloseTo(4.8, within(1e-9));
    assertThat(Stats.percentile(List.of(7.0), 95)).isEqualTo(7.0);
    assertThat(Stats.median(List.of())).isNaN();
  }
}

package io.videopipe.bench;

import com.google.protobuf.Timestamp;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One job's time as its workflow history records it: the execution's wall time and the time its activities spent
 * running, i.e. from each ActivityTaskStarted to the event that closed it. What is left is orchestration overhead:
 * waiting for a worker slot, workflow tasks, timers, the server's own bookkeeping.
 *
 * @param wallSec WorkflowExecutionStarted to the closing event
 * @param activitySec time during which at least one activity was running (parallel activities count once; equal to
 *     their sum when they run one after another)
 * @param activitySumSec the plain sum of the activities' run times
 * @param queueWaitSec summed ActivityTaskScheduled to ActivityTaskStarted waits (part of the overhead)
 * @param activities activities that ran
 */
record JobTimeline(double wallSec, double activitySec, double activitySumSec, double queueWaitSec, int activities) {

  double overheadSec() {
    return wallSec - activitySec;
  }

  static JobTimeline of(List<HistoryEvent> events) {
    if (events.isEmpty()) {
      throw new IllegalArgumentException("an empty history");
    }
    HistoryEvent first = events.get(0);
    if (first.getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
      throw new IllegalArgumentException("a history starts with WorkflowExecutionStarted, not " + first.getEventType());
    }
    HistoryEvent last = events.get(events.size() - 1);
    Map<Long, HistoryEvent> byId = new HashMap<>();
    List<double[]> runs = new ArrayList<>();
    double queueWait = 0;
    for (HistoryEvent e : events) {
      byId.put(e.getEventId(), e);
      long startedId;
      switch (e.getEventType()) {
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> startedId = e.getActivityTaskCompletedEventAttributes().getStartedEventId();
        case EVENT_TYPE_ACTIVITY_TASK_FAILED -> startedId = e.getActivityTaskFailedEventAttributes().getStartedEventId();
        case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> startedId = e.getActivityTaskTimedOutEventAttributes().getStartedEventId();
        case EVENT_TYPE_ACTIVITY_TASK_CANCELED -> startedId = e.getActivityTaskCanceledEventAttributes().getStartedEventId();
        default -> {
          continue;
        }
      }
      HistoryEvent started = byId.get(startedId);
      if (started == null) {
        continue; // timed out or cancelled before any worker picked it up: no run time
      }
      HistoryEvent scheduled = byId.get(started.getActivityTaskStartedEventAttributes().getScheduledEventId());
      double start = seconds(started.getEventTime());
      runs.add(new double[] {start, seconds(e.getEventTime())});
      if (scheduled != null) {
        queueWait += start - seconds(scheduled.getEventTime());
      }
    }
    double sum = runs.stream().mapToDouble(r -> r[1] - r[0]).sum();
    return new JobTimeline(
        seconds(last.getEventTime()) - seconds(first.getEventTime()), union(runs), sum, queueWait, runs.size());
  }

  /** Length of the union of intervals. */
  static double union(List<double[]> intervals) {
    List<double[]> sorted = new ArrayList<>(intervals);
    sorted.sort(Comparator.comparingDouble(r -> r[0]));
    double total = 0;
    double start = Double.NaN;
    double end = Double.NaN;
    for (double[] r : sorted) {
      if (Double.isNaN(start) || r[0] > end) {
        if (!Double.isNaN(start)) {
          total += end - start;
        }
        start = r[0];
        end = r[1];
      } else {
        end = Math.max(end, r[1]);
      }
    }
    return Double.isNaN(start) ? 0 : total + end - start;
  }

  static double seconds(Timestamp t) {
    return t.getSeconds() + t.getNanos() / 1e9;
  }
}

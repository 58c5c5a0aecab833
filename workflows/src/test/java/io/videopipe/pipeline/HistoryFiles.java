package io.videopipe.pipeline;

import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stored histories {@link HistoryReplayTest} replays. Written only when capturing ({@code
 * -Dvideopipe.captureHistories=true}); a stored file is kept unless {@code -Dvideopipe.recapture=true}: re-capturing
 * with changed workflow code would hide exactly the change the replay is there to catch.
 */
public final class HistoryFiles {
  /** Relative to the workflows module, where Maven runs its tests. */
  public static final Path DIR = Path.of("src/test/resources/histories");

  private HistoryFiles() {}

  public static boolean capturing() {
    return Boolean.getBoolean("videopipe.captureHistories");
  }

  /**
   * The test server leaves the started event's {@code workflowId} empty, and the replayer then runs the workflow under
   * a made-up id; a workflow that derives ids from its own (the bulk workflow names its children after it) would not
   * replay. The field is the one newer servers fill in.
   */
  private static WorkflowExecutionHistory withWorkflowId(WorkflowExecutionHistory history) {
    String id = history.getWorkflowExecution().getWorkflowId();
    History events = history.getHistory();
    HistoryEvent started = events.getEvents(0);
    if (!started.getWorkflowExecutionStartedEventAttributes().getWorkflowId().isEmpty()) {
      return history;
    }
    HistoryEvent named =
        started.toBuilder()
            .setWorkflowExecutionStartedEventAttributes(
                started.getWorkflowExecutionStartedEventAttributes().toBuilder().setWorkflowId(id))
            .build();
    return new WorkflowExecutionHistory(events.toBuilder().setEvents(0, named).build(), id);
  }

  /** Stores the history as {@code <name>.json} when capturing; does nothing otherwise. */
  public static void saveIfCapturing(String name, WorkflowExecutionHistory history) throws IOException {
    if (!capturing()) {
      return;
    }
    Path file = DIR.resolve(name + ".json");
    if (Files.exists(file) && !Boolean.getBoolean("videopipe.recapture")) {
      System.out.println("history " + file + " exists; kept (set -Dvideopipe.recapture=true to replace it)");
      return;
    }
    Files.createDirectories(DIR);
    Files.writeString(file, withWorkflowId(history).toJson(true) + "\n", StandardCharsets.UTF_8);
    System.out.println("history " + file + " written");
  }
}

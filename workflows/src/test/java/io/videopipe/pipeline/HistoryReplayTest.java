package io.videopipe.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.videopipe.bulk.BulkReprocessWorkflowImpl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every stored history (src/test/resources/histories, captured by {@link HistoryCaptureTest}) against today's
 * workflow code. A change of command order that running jobs would trip over fails here: put it behind {@code
 * Workflow.getVersion} (CONTRIBUTING.md).
 */
class HistoryReplayTest {
  /** The paths every change must keep replaying; more histories may be stored beside them. */
  private static final List<String> REQUIRED =
      List.of(
          "completed", "fallback-after-engine-failure", "hybrid-refine", "cancelled-mid-transcription",
          "needs-review-after-rerender", "clips-in-three-aspects", "bulk-paged-continued-as-new", "bulk-cancelled");

  /** One environment for every replay: each history gets a worker of its own. */
  private static TestWorkflowEnvironment env;

  /**
   * Loads the SDK's and the workflow's classes once, outside any test: on a loaded machine the first replay's class
   * loading can exceed the SDK's 1 s deadlock detector, which says nothing about determinism.
   */
  @BeforeAll
  static void warmUp() throws Exception {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker("warm-up");
    register(worker);
    try {
      WorkflowReplayer.replayWorkflowExecution(read(histories().findFirst().orElseThrow()), worker);
    } catch (Exception | Error e) {
      // the test of this history reports it
    }
  }

  /** Both workflow types; timeouts are worker configuration, not commands: replay with the production defaults. */
  private static void register(Worker worker) {
    PipelineTestEnvironment.registerWorkflows(worker, PipelineTimeouts.defaults());
    worker.registerWorkflowImplementationTypes(BulkReprocessWorkflowImpl.class);
  }

  private static WorkflowExecutionHistory read(String file) throws IOException {
    return WorkflowExecutionHistory.fromJson(
        Files.readString(HistoryFiles.DIR.resolve(file), StandardCharsets.UTF_8));
  }

  @AfterAll
  static void close() {
    if (env != null) {
      env.close();
    }
  }

  static Stream<String> histories() throws IOException {
    try (Stream<Path> files = Files.list(HistoryFiles.DIR)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
    }
  }

  @Test
  void theMainPathsAreStored() throws IOException {
    assertThat(histories().map(n -> n.substring(0, n.length() - ".json".length())))
        .containsAll(REQUIRED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void replaysWithoutNonDeterminism(String file) throws Exception {
    WorkflowExecutionHistory history = read(file);
    Worker worker = env.newWorker("replay-" + file);
    register(worker);

    try {
      // Throws on any non-determinism: a command the code no longer issues, or issues in another order.
      WorkflowReplayer.replayWorkflowExecution(history, worker);
    } catch (Exception e) {
      throw new AssertionError("stored history " + file + " no longer replays: put the change behind"
          + " Workflow.getVersion (CONTRIBUTING.md)", e);
    }
  }
}

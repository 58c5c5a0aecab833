package io.videopipe.fault;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.videopipe.parakeet.SyntheticParakeet;
import io.videopipe.realserver.TemporalCliServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gpu-worker role for the fault suite: Parakeet on the synthetic model (real ONNX files, ONNX Runtime's CPU
 * provider, as {@code ParakeetProcessTest} runs it), and the moment to kill it: while the server has handed its
 * Transcribe attempt to the worker, not while the task merely waits in the GPU queue.
 */
final class GpuWorkerKill {
  private GpuWorkerKill() {}

  /** Writes the synthetic model under {@code dir} and starts a gpu-worker on it (call awaitStarted). */
  static RoleProcess start(Path dir, Path logs, String... args) throws IOException {
    Path model = SyntheticParakeet.writeDesigned(dir.resolve("parakeet-model"));
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--server.port=0");
    all.add("--videopipe.engines.parakeet.model-dir=" + model);
    return new RoleProcess("gpu-worker", logs, Map.of(), "768m", all.toArray(String[]::new)).start();
  }

  /**
   * Waits until the job's Transcribe activity is STARTED on {@code worker} (its identity is the SDK's pid@host);
   * answers e.g. "crash-gpu: Transcribe attempt 1 started on 4242@host".
   */
  static String awaitTranscribing(TemporalCliServer temporal, RoleProcess worker, List<String> jobIds,
      Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "not described yet";
    while (System.nanoTime() < deadline) {
      for (String jobId : jobIds) {
      try {
        List<PendingActivityInfo> pending = temporal.stubs().blockingStub()
            .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(temporal.namespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(jobId))
                .build())
            .getPendingActivitiesList();
        for (PendingActivityInfo a : pending) {
          last = a.getActivityType().getName() + " " + a.getState() + " " + a.getLastWorkerIdentity();
          if (a.getActivityType().getName().equals("Transcribe")
              && a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
              && a.getLastWorkerIdentity().startsWith(worker.pid() + "@")) {
            return jobId + ": Transcribe attempt " + a.getAttempt() + " started on " + a.getLastWorkerIdentity();
          }
        }
      } catch (io.grpc.StatusRuntimeException notYet) {
        last = notYet.getStatus().toString(); // not started yet
      }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no Transcribe of " + jobIds + " ran on the gpu-worker in time; last pending: " + last);
  }
}

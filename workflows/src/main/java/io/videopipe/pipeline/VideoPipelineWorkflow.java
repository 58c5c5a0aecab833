package io.videopipe.pipeline;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * One durable workflow per video, one step after the other ({@link Step}): download, extract audio, route, transcribe
 * (falling back to the plan's next engine; HYBRID then refines the low-confidence stretches), highlight, render clips
 * (in parallel), QA (a clip that fails is rendered once more and checked again), cost; then the downloaded source is
 * deleted unless the job keeps it, and the job's webhook, if any, is told the result. The workflow id is the job id,
 * so a second start with the same id is refused by Temporal. A job whose QA still fails ends NEEDS_REVIEW, not
 * FAILED.
 *
 * <p>A failed job ends the execution as failed (an {@code ApplicationFailure} whose type is the cause and whose
 * details hold the partial {@link JobResult}); a cancelled one, by signal or by Temporal cancellation, ends as
 * cancelled after its compensations ran: search attribute {@code VpStatus=CANCELLED} and a {@code CanceledFailure}
 * cause at the client either way. Temporal cancellation ({@code WorkflowStub.cancel(reason)}) closes the execution
 * with status CANCELED; the {@link #cancel(String)} signal closes it with status FAILED, because a workflow cannot
 * close itself as CANCELED, but carries the partial {@link JobResult} in the {@code CanceledFailure} details.
 */
@WorkflowInterface
public interface VideoPipelineWorkflow {
  String TYPE = "VideoPipeline";

  @WorkflowMethod(name = TYPE)
  JobResult run(JobRequest request);

  @QueryMethod
  Progress progress();

  /** Every step attempt so far with its timing: what the cost so far is priced from. */
  @QueryMethod
  List<StepTiming> stepTimings();

  /**
   * The job's result once the pipeline has ended (null before): readable while the execution still delivers its
   * webhook, so a status read never waits for the execution to close.
   */
  @QueryMethod
  JobResult finalResult();

  /** How the job's webhook went; null when the job has none or has not reached it. */
  @QueryMethod
  io.videopipe.notify.WebhookDelivery webhookDelivery();

  /** {@link #progress}, {@link #stepTimings}, {@link #finalResult} and {@link #webhookDelivery} in one answer. */
  @QueryMethod
  JobReadout readout();

  /** Stops the running step, deletes the job's intermediate artifacts and ends the job as cancelled. */
  @SignalMethod
  void cancel(String reason);

  /** Applies the priority key (1 highest .. 5) to every step scheduled after the signal. */
  @SignalMethod
  void reprioritize(int priority);
}

package io.videopipe.health;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import io.videopipe.pipeline.JobResult;
import io.videopipe.pipeline.JobStatus;
import io.videopipe.pipeline.VideoPipelineWorkflow;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Pipeline metrics and log context for every worker:
 *
 * <ul>
 *   <li>{@value #STEP_TIMER}: each activity execution's duration by activity type and outcome (activities are never
 *       replayed, so the Micrometer registry is used directly), with MDC {@value #MDC_JOB_ID} set to the job id while
 *       it runs;
 *   <li>{@value #JOBS_COUNTER} and {@value #COST_COUNTER}: finished jobs by status and engine, through {@link
 *       Workflow#getMetricsScope()}, which emits nothing while a workflow replays.
 * </ul>
 */
public class PipelineMetricsInterceptor extends WorkerInterceptorBase {
  public static final String STEP_TIMER = "videopipe.step.duration";
  public static final String JOBS_COUNTER = "videopipe_jobs";
  /** Cost in millionths of a US dollar: tally counters count whole numbers. */
  public static final String COST_COUNTER = "videopipe_job_cost_microusd";
  public static final String MDC_JOB_ID = "jobId";

  private final MeterRegistry registry;

  public PipelineMetricsInterceptor(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityExecutionContext context;

      @Override
      public void init(ActivityExecutionContext context) {
        this.context = context;
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        String type = context.getInfo().getActivityType();
        String previous = MDC.get(MDC_JOB_ID);
        MDC.put(MDC_JOB_ID, context.getInfo().getWorkflowId());
        long started = System.nanoTime();
        String outcome = "failed";
        try {
          ActivityOutput output = super.execute(input);
          outcome = context.isDoNotCompleteOnReturn() ? "async" : "completed";
          return output;
        } finally {
          Timer.builder(STEP_TIMER)
              .description("Duration of one pipeline step (activity) execution")
              .tag("activity", type)
              .tag("outcome", outcome)
              .register(registry)
              .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
          if (previous == null) {
            MDC.remove(MDC_JOB_ID);
          } else {
            MDC.put(MDC_JOB_ID, previous);
          }
        }
      }
    };
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public WorkflowOutput execute(WorkflowInput input) {
        if (!VideoPipelineWorkflow.TYPE.equals(Workflow.getInfo().getWorkflowType())) {
          return super.execute(input);
        }
        try {
          WorkflowOutput output = super.execute(input);
          if (output.getResult() instanceof JobResult result) {
            record(result.status(), result);
          }
          return output;
        } catch (CanceledFailure e) {
          record(JobStatus.CANCELLED, details(e));
          throw e;
        } catch (ApplicationFailure e) {
          record(JobStatus.FAILED, details(e));
          throw e;
        } catch (TemporalFailure e) {
          record(JobStatus.FAILED, null);
          throw e;
        }
      }
    };
  }

  private static JobResult details(TemporalFailure e) {
    try {
      if (e instanceof ApplicationFailure a && a.getDetails().getSize() > 0) {
        return a.getDetails().get(JobResult.class);
      }
      if (e instanceof CanceledFailure c && c.getDetails().getSize() > 0) {
        return c.getDetails().get(JobResult.class);
      }
    } catch (RuntimeException ignored) {
      // a failure without a JobResult: counted without engine and cost
    }
    return null;
  }

  private static void record(JobStatus status, JobResult result) {
    String engine =
        result == null || result.transcription() == null || result.transcription().engine() == null
            ? "none"
            : result.transcription().engine();
    var scope = Workflow.getMetricsScope().tagged(Map.of("status", status.name(), "engine", engine));
    scope.counter(JOBS_COUNTER).inc(1);
    if (result != null && result.cost() != null) {
      scope.counter(COST_COUNTER).inc(Math.round(result.cost().totalUsd() * 1_000_000));
    }
  }
}

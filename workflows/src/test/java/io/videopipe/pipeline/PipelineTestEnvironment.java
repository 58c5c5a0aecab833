package io.videopipe.pipeline;

import static org.assertj.core.api.Assertions.fail;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real {@link VideoPipelineWorkflowImpl} on Temporal's in-memory test server, over a {@link FakePipeline}: a CPU
 * worker (the workflow and every CPU activity) and, when asked, a GPU worker. Register it as a JUnit 5 extension
 * ({@code @RegisterExtension final PipelineTestEnvironment testEnv = new PipelineTestEnvironment();}); it closes the
 * server after each test. Script the fakes through {@link #pipeline()} before {@link #start()}.
 *
 * <p>Temporal's own {@code TestWorkflowExtension} registers workflow classes on one task queue; the pipeline needs a
 * factory (its timeouts are worker configuration) and a second queue for the GPU, hence this small harness.
 */
final class PipelineTestEnvironment implements AfterEachCallback {
  static final String CPU = TaskQueues.DEFAULT_CPU;
  static final String GPU = TaskQueues.DEFAULT_GPU;
  static final String SOURCE_URI = "https://example.com/talk.mp4";

  /** Short heartbeats so a cancellation reaches a blocked test activity within a second. */
  static final PipelineTimeouts TIMEOUTS = PipelineTimeouts.defaults().withHeartbeat(Duration.ofSeconds(1));

  private final FakePipeline pipeline = new FakePipeline();
  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  FakePipeline pipeline() {
    return pipeline;
  }

  /** CPU worker only, default test timeouts. */
  PipelineTestEnvironment start() {
    return start(false, TIMEOUTS);
  }

  PipelineTestEnvironment startWithGpuWorker() {
    return start(true, TIMEOUTS);
  }

  PipelineTestEnvironment start(boolean gpuWorker, PipelineTimeouts timeouts) {
    env = TestWorkflowEnvironment.newInstance();
    SearchAttributes.definitions().forEach(env::registerSearchAttribute);
    Worker cpu = env.newWorker(CPU);
    registerWorkflows(cpu, timeouts);
    cpu.registerActivitiesImplementations(pipeline.cpuActivities());
    if (gpuWorker) {
      env.newWorker(GPU).registerActivitiesImplementations(pipeline.gpuTranscribe);
    }
    env.start();
    client = env.getWorkflowClient();
    return this;
  }

  /** The workflow implementations a pipeline worker runs; replay registers the same. */
  static void registerWorkflows(Worker worker, PipelineTimeouts timeouts) {
    worker.registerWorkflowImplementationFactory(
        VideoPipelineWorkflow.class, () -> new VideoPipelineWorkflowImpl(timeouts));
  }

  WorkflowClient client() {
    return client;
  }

  TestWorkflowEnvironment env() {
    return env;
  }

  VideoPipelineWorkflow startJob(String jobId, JobRequest request) {
    VideoPipelineWorkflow wf =
        client.newWorkflowStub(VideoPipelineWorkflow.class, VideoPipelineOptions.forJob(jobId, request, null, null));
    WorkflowClient.start(wf::run, request);
    return wf;
  }

  WorkflowExecutionHistory history(String jobId) {
    return client.fetchHistory(jobId);
  }

  /** Replays the job's history through a fresh worker: the workflow code is deterministic for this run. */
  void replay(String jobId) throws Exception {
    try (TestWorkflowEnvironment replayEnv = TestWorkflowEnvironment.newInstance()) {
      Worker worker = replayEnv.newWorker(CPU);
      registerWorkflows(worker, TIMEOUTS);
      WorkflowReplayer.replayWorkflowExecution(history(jobId), worker);
    }
  }

  /** Polls until the condition holds; fails the test after 10 s. */
  static void awaitTrue(Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        fail("condition not met within 10 s");
      }
      Thread.sleep(50);
    }
  }

  static JobResult result(VideoPipelineWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(JobResult.class);
  }

  /** Waits for the job to end and returns its failure; fails the test when the job did not fail. */
  static WorkflowFailedException failure(VideoPipelineWorkflow wf) {
    try {
      result(wf);
    } catch (WorkflowFailedException e) {
      return e;
    }
    throw new AssertionError("workflow did not fail");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (env != null) {
      env.close();
    }
  }
}

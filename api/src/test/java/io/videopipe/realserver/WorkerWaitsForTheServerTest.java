package io.videopipe.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.videopipe.VideoPipeApplication;
import io.videopipe.pipeline.SearchAttributes;
import io.videopipe.temporal.CliDevServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A cpu-worker started while its Temporal server does not answer yet waits for it (videopipe.worker.WorkerLifecycle),
 * instead of exiting on the SDK's one start-up call, and polls once the server is up.
 */
@ExtendWith({TemporalCliServer.RequiresCli.class, OutputCaptureExtension.class})
class WorkerWaitsForTheServerTest {
  @TempDir Path dir;

  @Test
  void aWorkerStartedBeforeItsServerPollsOnceTheServerAnswers(CapturedOutput output) throws Exception {
    CliDevServer.Options free = CliDevServer.Options.freePorts(
        TemporalCliServer.requireCli(), dir.resolve("temporal"), "default", SearchAttributes.definitions());
    // The worker is told this port: the server must bind exactly it, never a fresh one.
    CliDevServer.Options options = new CliDevServer.Options(free.cli(), free.ip(), free.grpcPort(), 0, 0, 0,
        free.dbFile(), free.logFile(), free.namespace(), free.searchAttributes(), "", List.of(), false);
    String target = "127.0.0.1:" + options.grpcPort();
    CompletableFuture<ConfigurableApplicationContext> worker = CompletableFuture.supplyAsync(
        () -> new SpringApplication(VideoPipeApplication.class).run("--spring.profiles.active=cpu-worker",
            "--server.port=0", "--videopipe.temporal.address=" + target,
            "--videopipe.storage.root=" + dir.resolve("data"), "--videopipe.storage.work-dir=" + dir.resolve("work")));
    ConfigurableApplicationContext ctx = null;
    try {
      String waiting = "the Temporal server at " + target + " is not answering yet";
      for (long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
          !output.getAll().contains(waiting) && !worker.isDone() && System.nanoTime() < deadline; ) {
        Thread.sleep(200);
      }
      assertThat(worker).as("the worker waits instead of failing its start").isNotDone();
      assertThat(output.getAll()).contains(waiting); // the role logs to stderr

      try (CliDevServer server = CliDevServer.start(options)) {
        ctx = worker.get(3, TimeUnit.MINUTES);
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).validateAndBuildWithDefaults());
        try {
          int pollers = 0;
          for (long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
              pollers == 0 && System.nanoTime() < deadline; ) {
            pollers = stubs.blockingStub().describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
                .setNamespace("default")
                .setTaskQueue(TaskQueue.newBuilder().setName("video-cpu"))
                .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
                .build()).getPollersCount();
            Thread.sleep(500);
          }
          assertThat(pollers).as("workflow pollers on video-cpu").isPositive();
        } finally {
          stubs.shutdownNow();
        }
      }
    } finally {
      if (ctx != null) {
        ctx.close();
      } else {
        worker.thenAccept(ConfigurableApplicationContext::close);
      }
    }
  }
}

package io.videopipe.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.videopipe.storage.LocalStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

class HealthIndicatorsTest {
  @TempDir Path dir;

  @Test
  void temporalIsUpWhileTheFrontendAnswersAndDownOnceItIsGone() throws Exception {
    String name = InProcessServerBuilder.generateName();
    Server server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                new WorkflowServiceGrpc.WorkflowServiceImplBase() {
                  @Override
                  public void getSystemInfo(GetSystemInfoRequest r, StreamObserver<GetSystemInfoResponse> o) {
                    o.onNext(GetSystemInfoResponse.newBuilder().setServerVersion("1.29.1").build());
                    o.onCompleted();
                  }
                })
            .build()
            .start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setChannel(channel).build());
    try {
      TemporalHealthIndicator indicator =
          new TemporalHealthIndicator(
              WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace("prod").build()));

      Health up = indicator.health();
      assertThat(up.getStatus()).isEqualTo(Status.UP);
      assertThat(up.getDetails()).containsEntry("serverVersion", "1.29.1").containsEntry("namespace", "prod");

      server.shutdownNow().awaitTermination();
      Health down = indicator.health();
      assertThat(down.getStatus()).isEqualTo(Status.DOWN);
      assertThat(down.getDetails()).containsKey("error");
    } finally {
      stubs.shutdownNow();
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  @Test
  void localStorageIsUpWhileItsRootIsAWritableDirectory() throws Exception {
    Path root = dir.resolve("store");
    StorageHealthIndicator indicator = new StorageHealthIndicator(new LocalStorage(root));
    Files.createDirectories(root);
    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

    Files.delete(root);
    Health down = indicator.health();
    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
    assertThat(down.getDetails()).containsEntry("error", "not a writable directory");
  }
}

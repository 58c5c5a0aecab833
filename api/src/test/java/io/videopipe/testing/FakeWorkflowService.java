package io.videopipe.testing;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.io.IOException;

/**
 * Temporal's WorkflowService answered in-process by a test's own implementation of the calls it needs: how paths that
 * only a real server supports (visibility, schedules, DescribeTaskQueue) are tested without one.
 */
public final class FakeWorkflowService implements AutoCloseable {
  private final Server server;
  private final ManagedChannel channel;

  private FakeWorkflowService(Server server, ManagedChannel channel) {
    this.server = server;
    this.channel = channel;
  }

  public static FakeWorkflowService start(WorkflowServiceGrpc.WorkflowServiceImplBase calls) throws IOException {
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name).directExecutor().addService(calls).build().start();
    return new FakeWorkflowService(server, InProcessChannelBuilder.forName(name).directExecutor().build());
  }

  public ManagedChannel channel() {
    return channel;
  }

  public WorkflowServiceGrpc.WorkflowServiceBlockingStub blockingStub() {
    return WorkflowServiceGrpc.newBlockingStub(channel);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
  }
}

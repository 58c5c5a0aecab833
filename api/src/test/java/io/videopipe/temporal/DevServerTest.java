package io.videopipe.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.temporal.api.taskqueue.v1.StickyExecutionAttributes;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dev server never lets a workflow stick to one worker: a killed worker would hold it forever there. */
class DevServerTest {

  @Test
  void stickinessRequestsAreDropped() {
    List<Object> received = new ArrayList<>();
    ServerCall.Listener<Object> listener =
        new DevServer.NoStickyExecution()
            .interceptCall(
                new NoCall(),
                new Metadata(),
                (call, headers) ->
                    new ServerCall.Listener<>() {
                      @Override
                      public void onMessage(Object message) {
                        received.add(message);
                      }
                    });
    RespondWorkflowTaskCompletedRequest sticky =
        RespondWorkflowTaskCompletedRequest.newBuilder()
            .setIdentity("worker-1")
            .setStickyAttributes(
                StickyExecutionAttributes.newBuilder()
                    .setWorkerTaskQueue(TaskQueue.newBuilder().setName("worker-1:sticky")))
            .build();

    listener.onMessage(sticky);
    listener.onMessage("any other request");

    RespondWorkflowTaskCompletedRequest passed = (RespondWorkflowTaskCompletedRequest) received.get(0);
    assertThat(passed.hasStickyAttributes()).isFalse();
    assertThat(passed.getIdentity()).isEqualTo("worker-1");
    assertThat(received.get(1)).isEqualTo("any other request");
  }

  private static final class NoCall extends ServerCall<Object, Object> {
    @Override
    public void request(int numMessages) {}

    @Override
    public void sendHeaders(Metadata headers) {}

    @Override
    public void sendMessage(Object message) {}

    @Override
    public void close(Status status, Metadata trailers) {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public MethodDescriptor<Object, Object> getMethodDescriptor() {
      return null;
    }
  }
}

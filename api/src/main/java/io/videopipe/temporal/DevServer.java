package io.videopipe.temporal;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.videopipe.config.VideoPipeProperties;
import io.videopipe.pipeline.SearchAttributes;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The dev-server role: the Java test server as a gRPC service on 127.0.0.1, so api and worker roles in separate
 * processes can be tried on one machine. No time skipping: timers and timeouts run in real time.
 */
@Component
@Profile("dev-server")
public class DevServer implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(DevServer.class);
  private final int port;
  private TestServicesStarter services;
  private Server server;

  public DevServer(VideoPipeProperties props) {
    this.port = props.temporal().devServerPort();
  }

  @Override
  public void start() {
    // Internal API: the public TestServer.createPortBoundServer binds every interface, we want loopback only.
    // true locks time skipping: with it unlocked the server jumps over retry backoffs and timeouts whenever it
    // sees no activity, so five storage retries took 0.3 s instead of 15 s.
    services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    builder.intercept(new NoStickyExecution());
    try {
      server = builder.build().start();
    } catch (IOException e) {
      services.close();
      throw new IllegalStateException("cannot bind the dev server to 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
    registerSearchAttributes();
    log.info("dev Temporal server listening on 127.0.0.1:{} (in-memory; state is lost when it stops)", port);
  }

  private void registerSearchAttributes() {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).validateAndBuildWithDefaults());
    try {
      operator
          .blockingStub()
          .addSearchAttributes(
              AddSearchAttributesRequest.newBuilder()
                  .setNamespace("default")
                  .putAllSearchAttributes(SearchAttributes.definitions())
                  .build());
    } finally {
      operator.shutdown();
    }
  }

  @Override
  public void stop() {
    if (server != null) {
      server.shutdownNow();
    }
    if (services != null) {
      services.close();
    }
    server = null;
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }

  /**
   * The test server has no schedule-to-start timeout for sticky workflow tasks (a real server moves them back to the
   * normal queue after 5 s), so a worker killed while it cached a workflow would hold that workflow forever, queries
   * included. Dropping the stickiness request makes every workflow task go through the shared queue: any live worker
   * picks it up by replaying the history.
   */
  static final class NoStickyExecution implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
        @Override
        @SuppressWarnings("unchecked")
        public void onMessage(Q message) {
          if (message instanceof RespondWorkflowTaskCompletedRequest done && done.hasStickyAttributes()) {
            message = (Q) done.toBuilder().clearStickyAttributes().build();
          }
          super.onMessage(message);
        }
      };
    }
  }
}

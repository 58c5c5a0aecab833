package io.videopipe.temporal;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
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
    services = new TestServicesStarter(false, 0);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
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
}

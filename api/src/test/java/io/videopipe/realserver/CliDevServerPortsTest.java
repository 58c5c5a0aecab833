package io.videopipe.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.health.v1.HealthCheckResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.videopipe.pipeline.SearchAttributes;
import io.videopipe.temporal.CliDevServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ports for {@code temporal server start-dev}: ports we picked can be taken by another program before the server
 * binds them, and then the server starts on fresh ones; a configured port that is taken is an error naming its
 * setting, with no second try.
 */
@ExtendWith(TemporalCliServer.RequiresCli.class)
class CliDevServerPortsTest {
  @TempDir Path dir;

  static ServerSocket occupy(int port) throws Exception {
    return new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"));
  }

  @Test
  void portsWePickedThatAnotherProgramTookAreReplacedByFreshOnes() throws Exception {
    CliDevServer.Options picked = CliDevServer.Options.freePorts(
        TemporalCliServer.requireCli(), dir, "default", SearchAttributes.definitions());
    // Taken after the pick: our own check before the launch sees it free, only the CLI refuses it (and exits).
    try (ServerSocket http = occupy(picked.httpPort());
        CliDevServer server = CliDevServer.start(picked)) {
      assertThat(server.options().httpPort()).isNotEqualTo(picked.httpPort());
      assertThat(server.options().grpcPort()).isNotEqualTo(picked.grpcPort());
      assertThat(server.target()).isEqualTo("127.0.0.1:" + server.options().grpcPort());
      WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).validateAndBuildWithDefaults());
      try {
        assertThat(stubs.healthCheck().getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      } finally {
        stubs.shutdownNow();
      }
      assertThat(Files.readString(picked.logFile())).contains("can't set frontend HTTP port " + picked.httpPort());
    }
  }

  @Test
  void aConfiguredPortThatIsTakenIsAnErrorNamingItsSetting() throws Exception {
    CliDevServer.Options free = CliDevServer.Options.freePorts(
        TemporalCliServer.requireCli(), dir, "default", SearchAttributes.definitions());
    CliDevServer.Options configured = new CliDevServer.Options(free.cli(), free.ip(), free.grpcPort(), free.uiPort(),
        0, 0, free.dbFile(), free.logFile(), free.namespace(), free.searchAttributes(), "", List.of(), false);
    try (ServerSocket grpc = occupy(configured.grpcPort())) {
      assertThatThrownBy(() -> CliDevServer.start(configured).close())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("gRPC port 127.0.0.1:" + configured.grpcPort() + " is in use by another program (not a Temporal"
              + " server of " + configured.dbFile() + "); stop it or choose another port"
              + " (videopipe.temporal.local.grpc-port)");
    }
    try (ServerSocket ui = occupy(configured.uiPort())) {
      assertThatThrownBy(() -> CliDevServer.start(configured).close())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Web UI port 127.0.0.1:" + configured.uiPort() + " is in use by another program")
          .hasMessageEndingWith("(videopipe.temporal.local.ui-port)");
    }
    // A configured HTTP port is refused by the CLI itself: one try, the CLI's reason in the error.
    try (ServerSocket http = occupy(0)) {
      CliDevServer.Options configuredHttp = new CliDevServer.Options(free.cli(), free.ip(), free.grpcPort(), 0,
          http.getLocalPort(), 0, free.dbFile(), free.logFile(), free.namespace(), free.searchAttributes(), "",
          List.of(), false);
      assertThatThrownBy(() -> CliDevServer.start(configuredHttp).close())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("HTTP API port 127.0.0.1:" + http.getLocalPort() + " is in use");
    }
    assertThat(Files.readString(free.logFile()).split("can't set frontend HTTP port", -1)).hasSize(2);
  }
}

package io.videopipe.temporal;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import com.uber.m3.tally.Scope;
import io.videopipe.pipeline.SearchAttributes;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Temporal server of the local role: a CLI dev server this JVM started (and stops with it), or, for the
 * {@code process} command, the one already answering on {@code videopipe.temporal.address}.
 */
public final class LocalTemporalServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalTemporalServer.class);

  private final CliDevServer server;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final String uiUrl;

  private LocalTemporalServer(CliDevServer server, WorkflowServiceStubs stubs, WorkflowClient client, String uiUrl) {
    this.server = server;
    this.stubs = stubs;
    this.client = client;
    this.uiUrl = uiUrl;
  }

  /** Starts {@code temporal server start-dev} with its SQLite file and log under {@link #directory}. */
  public static LocalTemporalServer start(
      Path cli, LocalTemporalProperties local, String storageRoot, String namespace, DataConverter converter,
      Scope metrics) {
    Path dir = directory(local, storageRoot);
    CliDevServer server = CliDevServer.start(new CliDevServer.Options(cli, "127.0.0.1", local.grpcPort(),
        local.uiPort(), 0, 0, dir.resolve("temporal.db"), dir.resolve("temporal.log"), namespace,
        SearchAttributes.definitions(), local.uiCodecEndpoint(), List.of(), false));
    try {
      LocalTemporalServer s = connect(server, server.target(), namespace, converter, metrics, server.uiUrl());
      log.info("Temporal Web UI: {}/namespaces/{}/workflows (jobs survive restarts: state in {})", server.uiUrl(),
          namespace, server.options().dbFile());
      return s;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** A client of the server already serving on {@code address}; its UI assumed on the configured UI port. */
  public static LocalTemporalServer attach(
      String address, LocalTemporalProperties local, String namespace, DataConverter converter, Scope metrics) {
    String host = address.contains(":") ? address.substring(0, address.lastIndexOf(':')) : address;
    return connect(null, address, namespace, converter, metrics, "http://" + host + ":" + local.uiPort());
  }

  private static LocalTemporalServer connect(
      CliDevServer server, String target, String namespace, DataConverter converter, Scope metrics, String uiUrl) {
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target).setMetricsScope(metrics).build());
    WorkflowClient client = WorkflowClient.newInstance(stubs,
        WorkflowClientOptions.newBuilder().setNamespace(namespace).setDataConverter(converter).build());
    return new LocalTemporalServer(server, stubs, client, uiUrl);
  }

  /** The configured directory, else {@code temporal/} under a local storage root, else {@code ./data/temporal}. */
  static Path directory(LocalTemporalProperties local, String storageRoot) {
    if (!local.dir().isBlank()) {
      return Path.of(local.dir()).toAbsolutePath().normalize();
    }
    Path root;
    if (storageRoot.startsWith("file:")) {
      root = Path.of(URI.create(storageRoot));
    } else if (storageRoot.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      root = Path.of("data");
    } else {
      root = Path.of(storageRoot);
    }
    return root.resolve("temporal").toAbsolutePath().normalize();
  }

  public WorkflowClient client() {
    return client;
  }

  /** The Web UI's base address. */
  public String uiUrl() {
    return uiUrl;
  }

  /** The server this JVM started; null when attached to one that runs on its own. */
  public CliDevServer server() {
    return server;
  }

  @Override
  public void close() {
    stubs.shutdownNow();
    if (server != null) {
      server.close();
    }
  }
}

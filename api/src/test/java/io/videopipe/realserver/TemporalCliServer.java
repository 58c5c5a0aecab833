package io.videopipe.realserver;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.videopipe.pipeline.SearchAttributes;
import io.videopipe.temporal.CliDevServer;
import io.videopipe.temporal.TemporalCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * A real Temporal server ({@code temporal server start-dev}, through the same {@link CliDevServer} the local role
 * uses) for one test class: free 127.0.0.1 ports, a fresh SQLite file in a temporary directory, our search attributes
 * registered. Register it as a static field:
 *
 * <pre>{@code @RegisterExtension static final TemporalCliServer TEMPORAL = new TemporalCliServer();}</pre>
 *
 * <p>Without a CLI the class is skipped with a message naming {@code scripts/install-temporal-cli.sh}; with {@code
 * CI=true} it fails instead, since CI installs the CLI. The server's log is copied to {@code
 * target/temporal-cli/<TestClass>.log}.
 */
public final class TemporalCliServer implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {
  public static final String NAMESPACE = "default";

  private final UnaryOperator<CliDevServer.Options> customize;
  private Path dir;
  private CliDevServer server;
  private WorkflowServiceStubs stubs;
  private WorkflowClient client;
  private String testClass = "unknown";

  public TemporalCliServer() {
    this(UnaryOperator.identity());
  }

  /** @param customize changes the options before the start, e.g. {@code o -> o.withUiCodecEndpoint(url)} */
  public TemporalCliServer(UnaryOperator<CliDevServer.Options> customize) {
    this.customize = customize;
  }

  /** The CLI, or the test is skipped (failed in CI) with how to install it. */
  public static Path requireCli() {
    Optional<Path> cli = TemporalCli.find("");
    if (cli.isPresent()) {
      return cli.get();
    }
    String message = "no Temporal CLI for the real-server tests: " + TemporalCli.INSTALL_HINT;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(message + " (CI=true: .ci/run must install it)");
    }
    throw new TestAbortedException(message);
  }

  /** Reported as skipped, with the reason, where no CLI is installed (never in CI: there it fails). */
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return cliCondition();
  }

  /** For test classes that start their own CLI server (through the local role): skipped as this class is. */
  public static final class RequiresCli implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return cliCondition();
    }
  }

  static ConditionEvaluationResult cliCondition() {
    if (TemporalCli.find("").isEmpty() && !"true".equalsIgnoreCase(System.getenv("CI"))) {
      return ConditionEvaluationResult.disabled("no Temporal CLI for the real-server tests: " + TemporalCli.INSTALL_HINT);
    }
    return ConditionEvaluationResult.enabled("Temporal CLI found");
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    testClass = context.getRequiredTestClass().getSimpleName();
    Path cli = requireCli();
    dir = Files.createTempDirectory("videopipe-temporal-");
    server = CliDevServer.start(
        customize.apply(CliDevServer.Options.freePorts(cli, dir, NAMESPACE, SearchAttributes.definitions())));
    connect();
  }

  private void connect() {
    stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).validateAndBuildWithDefaults());
    client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE).build());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (stubs != null) {
      stubs.shutdownNow();
    }
    if (server != null) {
      server.close();
      copyLog();
    }
    deleteQuietly(dir);
  }

  /** A client of the default namespace with the default data converter. */
  public WorkflowClient client() {
    return client;
  }

  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  public String namespace() {
    return NAMESPACE;
  }

  /** host:port of the gRPC frontend, for {@code --videopipe.temporal.address=}. */
  public String target() {
    return server.target();
  }

  /** e.g. {@code http://127.0.0.1:41234}. */
  public String uiUrl() {
    return server.uiUrl();
  }

  public CliDevServer server() {
    return server;
  }

  /** The temporary directory of this server (SQLite file, log); deleted after the class. */
  public Path dir() {
    return dir;
  }

  /** kill -9 of the server process. */
  public void kill() {
    server.kill();
  }

  /** Starts it again on the same SQLite file and ports; the client reconnects by itself. */
  public void restart() {
    server.restart();
  }

  private void copyLog() {
    try {
      Path target = Path.of("target", "temporal-cli");
      Files.createDirectories(target);
      if (Files.exists(server.options().logFile())) {
        Files.copy(server.options().logFile(), target.resolve(testClass + ".log"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // the log is a convenience; the test outcome does not depend on it
    }
  }

  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

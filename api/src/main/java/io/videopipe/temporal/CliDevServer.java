package io.videopipe.temporal;

import io.grpc.health.v1.HealthCheckResponse;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Temporal server as a child process: {@code temporal server start-dev} on 127.0.0.1 with its state in one SQLite
 * file, our search attributes registered, its output in a log file. The local role runs one under its data directory;
 * the tests run one per test class. The server's pid is kept beside the SQLite file, so a server left behind by a
 * killed JVM is found and replaced on the next start (the data survives: it is in the SQLite file).
 */
public final class CliDevServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CliDevServer.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  /**
   * Fixed slots of the SQLite visibility schema for custom search attributes, per type; a server refuses more.
   */
  static final Map<IndexedValueType, Integer> SQLITE_SLOTS = sqliteSlots();

  /**
   * Dynamic config that makes the server hand out queued tasks by priority key. Server 1.32 dispatches a backlog
   * without regard to priority unless the priority matcher is on, and a task queue's default four partitions each
   * keep their own order, so a poll may take a lower priority task from another partition; one partition is plenty
   * for a single-process server. Measured by {@code PriorityRealServerTest}.
   */
  static final Map<String, String> PRIORITY_DISPATCH = priorityDispatch();

  /**
   * @param cli the temporal binary
   * @param ip the address every port binds (127.0.0.1: nothing outside this machine reaches the server or the UI)
   * @param grpcPort the frontend, what SDK clients and workers dial
   * @param uiPort the Web UI; 0 for none ({@code --headless})
   * @param httpPort the HTTP API; 0 for a free one chosen here
   * @param metricsPort the server's Prometheus endpoint; 0 for a free one chosen here
   * @param dbFile the SQLite file holding every namespace, workflow and schedule
   * @param logFile where the server's output goes (appended)
   * @param searchAttributes custom search attributes to register in {@code namespace}
   * @param uiCodecEndpoint the codec server the Web UI decodes payloads with; blank for none
   * @param portsChosenHere every port was picked free here ({@link #freePorts}), not configured: a start that finds
   *     one of them taken by another program (in the moment between the pick and the server's bind) picks fresh ones
   *     and tries again, where a configured port that is taken is an error naming its setting
   */
  public record Options(
      Path cli,
      String ip,
      int grpcPort,
      int uiPort,
      int httpPort,
      int metricsPort,
      Path dbFile,
      Path logFile,
      String namespace,
      Map<String, IndexedValueType> searchAttributes,
      String uiCodecEndpoint,
      List<String> extraArgs,
      boolean portsChosenHere) {

    public Options {
      searchAttributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(searchAttributes));
      dbFile = dbFile.toAbsolutePath().normalize();
      logFile = logFile.toAbsolutePath().normalize();
      extraArgs = List.copyOf(extraArgs);
      uiCodecEndpoint = uiCodecEndpoint == null ? "" : uiCodecEndpoint;
      checkSlots(searchAttributes);
    }

    /** Loopback, every port free and chosen here, UI on, our search attributes, files under {@code dir}. */
    public static Options freePorts(Path cli, Path dir, String namespace, Map<String, IndexedValueType> attributes) {
      return new Options(cli, "127.0.0.1", freePort(), freePort(), freePort(), freePort(), dir.resolve("temporal.db"),
          dir.resolve("temporal.log"), namespace, attributes, "", List.of(), true);
    }

    /** The same server on fresh free ports (only for ports chosen here: {@link #portsChosenHere}). */
    Options withFreshPorts() {
      return new Options(cli, ip, freePort(), uiPort == 0 ? 0 : freePort(), freePort(), freePort(), dbFile, logFile,
          namespace, searchAttributes, uiCodecEndpoint, extraArgs, portsChosenHere);
    }

    public Options withUiCodecEndpoint(String endpoint) {
      return new Options(cli, ip, grpcPort, uiPort, httpPort, metricsPort, dbFile, logFile, namespace,
          searchAttributes, endpoint, extraArgs, portsChosenHere);
    }

    public Options withExtraArgs(List<String> args) {
      return new Options(cli, ip, grpcPort, uiPort, httpPort, metricsPort, dbFile, logFile, namespace,
          searchAttributes, uiCodecEndpoint, args, portsChosenHere);
    }

    /** {@code temporal server start-dev ...}; ports left 0 are resolved by the caller first. */
    List<String> command(int http, int metrics) {
      List<String> c = new ArrayList<>(List.of(cli.toString(), "server", "start-dev",
          "--ip", ip, "--port", Integer.toString(grpcPort),
          "--http-port", Integer.toString(http), "--metrics-port", Integer.toString(metrics),
          "--db-filename", dbFile.toString(), "--namespace", namespace, "--log-level", "warn"));
      if (uiPort == 0) {
        c.add("--headless");
      } else {
        c.addAll(List.of("--ui-ip", ip, "--ui-port", Integer.toString(uiPort), "--ui-disable-news-fetch"));
      }
      if (!uiCodecEndpoint.isBlank()) {
        c.addAll(List.of("--ui-codec-endpoint", uiCodecEndpoint));
      }
      searchAttributes.forEach((name, type) -> c.addAll(List.of("--search-attribute", name + "=" + cliType(type))));
      PRIORITY_DISPATCH.forEach((key, json) -> c.addAll(List.of("--dynamic-config-value", key + "=" + json)));
      c.addAll(extraArgs);
      return c;
    }
  }

  /** Starts on fresh ports after a chosen port was taken: a few, since each pick-to-bind window is short. */
  static final int PORT_ATTEMPTS = 5;

  /** The CLI's refusal of a busy port, e.g. {@code can't set frontend HTTP port 7243: listen tcp ...: bind: ...}. */
  private static final java.util.regex.Pattern CLI_PORT_IN_USE =
      java.util.regex.Pattern.compile("can't set (.+?) port (\\d+): .*address already in use");

  /** Ports chosen fresh on a retry: only those the caller left to us. */
  private Options options;
  private int httpPort;
  private int metricsPort;
  private Process process;

  private CliDevServer(Options options) {
    this.options = options;
    this.httpPort = options.httpPort() == 0 ? freePort() : options.httpPort();
    this.metricsPort = options.metricsPort() == 0 ? freePort() : options.metricsPort();
  }

  /** A port the server could not bind because another program holds it. */
  private static final class PortTakenException extends IllegalStateException {
    final boolean chosenHere;

    PortTakenException(String message, boolean chosenHere) {
      super(message);
      this.chosenHere = chosenHere;
    }
  }

  /**
   * Starts the server and waits until it serves gRPC (and the UI, when it has one), replacing a server of the same
   * SQLite file left behind by a killed JVM.
   *
   * @throws IllegalStateException when a port is taken by another program, or the server does not come up (with the
   *     end of its log)
   */
  public static CliDevServer start(Options options) {
    CliDevServer server = new CliDevServer(options);
    server.replaceStale();
    server.launchOnFreePorts();
    return server;
  }

  /**
   * Ports we picked are free when picked, not when the server binds them: another program may take one in between.
   * Then the server starts again on fresh ones; a configured port that is taken stays an error naming its setting.
   */
  private void launchOnFreePorts() {
    for (int attempt = 1; ; attempt++) {
      try {
        launch();
        return;
      } catch (PortTakenException e) {
        if (!e.chosenHere || attempt == PORT_ATTEMPTS) {
          throw e;
        }
        log.info("{}; starting the Temporal server again on fresh ports (attempt {} of {})", e.getMessage(),
            attempt + 1, PORT_ATTEMPTS);
        if (options.portsChosenHere()) {
          options = options.withFreshPorts();
        }
        httpPort = options.httpPort() == 0 ? freePort() : options.httpPort();
        metricsPort = options.metricsPort() == 0 ? freePort() : options.metricsPort();
      }
    }
  }

  /** Whether we picked this port (so another may be picked), rather than the caller configuring it. */
  private boolean chosenHere(int port) {
    return options.portsChosenHere()
        || (port == httpPort && options.httpPort() == 0)
        || (port == metricsPort && options.metricsPort() == 0);
  }

  public Options options() {
    return options;
  }

  /** host:port of the gRPC frontend. */
  public String target() {
    return options.ip() + ":" + options.grpcPort();
  }

  /** The Web UI's base address; empty when headless. */
  public String uiUrl() {
    return options.uiPort() == 0 ? "" : "http://" + options.ip() + ":" + options.uiPort();
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, as when the machine dies: whatever the server had not written to SQLite is lost. */
  public void kill() {
    process.destroyForcibly();
    waitFor(process, Duration.ofSeconds(30));
  }

  /** Starts it again on the same SQLite file and ports (after {@link #kill()} or {@link #close()}). */
  public void restart() {
    if (alive()) {
      throw new IllegalStateException("the Temporal server " + pid() + " still runs; kill or close it first");
    }
    launch();
  }

  /** SIGTERM, then SIGKILL after 15 s. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      stop(process.toHandle());
    }
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      log.debug("cannot delete {}", pidFile(), e);
    }
  }

  private void launch() {
    requireFree(options.grpcPort(), "gRPC");
    if (options.uiPort() != 0) {
      requireFree(options.uiPort(), "Web UI");
    }
    long logStart;
    try {
      Files.createDirectories(options.dbFile().toAbsolutePath().getParent());
      Files.createDirectories(options.logFile().toAbsolutePath().getParent());
      logStart = Files.exists(options.logFile()) ? Files.size(options.logFile()) : 0;
      ProcessBuilder pb = new ProcessBuilder(options.command(httpPort, metricsPort))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(options.logFile().toFile()));
      process = pb.start();
      Files.writeString(pidFile(), Long.toString(process.pid()), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + options.cli() + ": " + e.getMessage(), e);
    }
    awaitServing(logStart);
    registerMissingSearchAttributes();
    if (options.uiPort() != 0) {
      awaitUi();
    }
    log.info("Temporal server (pid {}) on {} with its state in {}; log {}", process.pid(), target(),
        options.dbFile(), options.logFile());
  }

  private void awaitServing(long logStart) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target()).validateAndBuildWithDefaults());
    try {
      while (true) {
        if (!process.isAlive()) {
          refusedPort(logStart);
          throw new IllegalStateException("the Temporal server exited with " + process.exitValue() + " at start; "
              + logTail());
        }
        try {
          if (stubs.healthCheck().getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
            return;
          }
        } catch (RuntimeException notYet) {
          // not listening yet
        }
        if (System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IllegalStateException("the Temporal server did not serve on " + target() + " within "
              + START_TIMEOUT.toSeconds() + " s; " + logTail());
        }
        sleep(200);
      }
    } finally {
      stubs.shutdownNow();
    }
  }

  /**
   * {@code --search-attribute} registers only into a new SQLite file; attributes added to our code since the file
   * was created are registered here.
   */
  private void registerMissingSearchAttributes() {
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder().setTarget(target()).validateAndBuildWithDefaults());
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        try {
          Map<String, IndexedValueType> present = operator.blockingStub()
              .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(options.namespace()).build())
              .getCustomAttributesMap();
          Map<String, IndexedValueType> missing = new LinkedHashMap<>(options.searchAttributes());
          missing.keySet().removeAll(present.keySet());
          if (!missing.isEmpty()) {
            operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder()
                .setNamespace(options.namespace()).putAllSearchAttributes(missing).build());
            log.info("registered search attributes {} in {}", missing.keySet(), options.dbFile());
          }
          return;
        } catch (io.grpc.StatusRuntimeException e) {
          // the namespace may be a moment behind the frontend
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("cannot register search attributes on " + target() + ": "
                + e.getStatus() + "; " + logTail(), e);
          }
          sleep(250);
        }
      }
    } finally {
      operator.shutdownNow();
    }
  }

  private void awaitUi() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        int code = http.send(HttpRequest.newBuilder(URI.create(uiUrl() + "/")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        if (code == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      sleep(200);
    }
    throw new IllegalStateException("the Temporal Web UI did not answer on " + uiUrl() + "; " + logTail());
  }

  /**
   * A server of this SQLite file still running (its JVM was killed before it could stop it) is stopped, so the new
   * one binds the configured ports and reads the same file: the data carries over, stale settings do not.
   */
  private void replaceStale() {
    Optional<ProcessHandle> stale = staleServer();
    if (stale.isPresent()) {
      log.info("stopping Temporal server {} left running on {} by an earlier run", stale.get().pid(),
          options.dbFile());
      stop(stale.get());
    }
  }

  private Optional<ProcessHandle> staleServer() {
    Path pid = pidFile();
    if (!Files.isRegularFile(pid)) {
      return Optional.empty();
    }
    try {
      long id = Long.parseLong(Files.readString(pid, StandardCharsets.US_ASCII).strip());
      String db = options.dbFile().toString();
      return ProcessHandle.of(id)
          .filter(ProcessHandle::isAlive)
          .filter(h -> h.info().arguments().map(a -> List.of(a).contains(db)).orElse(false));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private Path pidFile() {
    return options.dbFile().resolveSibling(options.dbFile().getFileName() + ".pid");
  }

  private static void stop(ProcessHandle h) {
    h.destroy();
    try {
      h.onExit().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      h.destroyForcibly();
      try {
        h.onExit().get(15, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // reported by the port check that follows
      }
    }
  }

  private static void waitFor(Process p, Duration d) {
    try {
      p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void requireFree(int port, String what) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(options.ip()), port));
    } catch (IOException e) {
      throw portTaken(what, port);
    }
  }

  /** Throws when the CLI exited because a port was taken: its log since this launch says which one. */
  private void refusedPort(long logStart) {
    String written;
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(options.logFile().toFile(), "r")) {
      f.seek(Math.min(logStart, f.length()));
      byte[] b = new byte[(int) Math.min(f.length() - f.getFilePointer(), 1 << 16)];
      f.readFully(b);
      written = new String(b, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return;
    }
    java.util.regex.Matcher m = CLI_PORT_IN_USE.matcher(written);
    if (m.find()) {
      String what = switch (m.group(1)) {
        case "frontend" -> "gRPC";
        case "UI" -> "Web UI";
        case "frontend HTTP" -> "HTTP API";
        default -> m.group(1);
      };
      throw portTaken(what, Integer.parseInt(m.group(2)));
    }
  }

  private PortTakenException portTaken(String what, int port) {
    String setting = switch (what) {
      case "gRPC" -> " (videopipe.temporal.local.grpc-port)";
      case "Web UI" -> " (videopipe.temporal.local.ui-port)";
      default -> "";
    };
    return new PortTakenException(what + " port " + options.ip() + ":" + port + " is in use by another program"
        + " (not a Temporal server of " + options.dbFile() + "); stop it or choose another port" + setting,
        chosenHere(port));
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(options.logFile());
      return "last lines of " + options.logFile() + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "see " + options.logFile();
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @throws IllegalArgumentException when the attributes do not fit the SQLite visibility schema
   */
  static void checkSlots(Map<String, IndexedValueType> attributes) {
    Map<IndexedValueType, Integer> used = new EnumMap<>(IndexedValueType.class);
    attributes.values().forEach(t -> used.merge(t, 1, Integer::sum));
    used.forEach((type, n) -> {
      int slots = SQLITE_SLOTS.getOrDefault(type, 0);
      if (n > slots) {
        throw new IllegalArgumentException(n + " custom search attributes of type " + cliType(type)
            + " do not fit the dev server's SQLite visibility schema, which has " + slots + " slots for that type");
      }
    });
  }

  static String cliType(IndexedValueType type) {
    return switch (type) {
      case INDEXED_VALUE_TYPE_KEYWORD -> "Keyword";
      case INDEXED_VALUE_TYPE_TEXT -> "Text";
      case INDEXED_VALUE_TYPE_INT -> "Int";
      case INDEXED_VALUE_TYPE_DOUBLE -> "Double";
      case INDEXED_VALUE_TYPE_BOOL -> "Bool";
      case INDEXED_VALUE_TYPE_DATETIME -> "Datetime";
      case INDEXED_VALUE_TYPE_KEYWORD_LIST -> "KeywordList";
      default -> throw new IllegalArgumentException("no search attribute type " + type);
    };
  }

  private static Map<String, String> priorityDispatch() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("matching.useNewMatcher", "true");
    m.put("matching.numTaskqueueReadPartitions", "1");
    m.put("matching.numTaskqueueWritePartitions", "1");
    return java.util.Collections.unmodifiableMap(m);
  }

  private static Map<IndexedValueType, Integer> sqliteSlots() {
    Map<IndexedValueType, Integer> m = new EnumMap<>(IndexedValueType.class);
    m.put(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, 10);
    for (IndexedValueType t : List.of(IndexedValueType.INDEXED_VALUE_TYPE_TEXT, IndexedValueType.INDEXED_VALUE_TYPE_INT,
        IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE, IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
        IndexedValueType.INDEXED_VALUE_TYPE_DATETIME, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST)) {
      m.put(t, 3);
    }
    return Map.copyOf(m);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Temporal server", e);
    }
  }
}

package io.videopipe.fault;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One role of the application as its own JVM, started from the packaged jar as an operator would
 * ({@code java -jar videopipe.jar --spring.profiles.active=<role>}); its output goes to a log file.
 */
public final class RoleProcess implements AutoCloseable {
  /** The packaged application; -Dfault.jar=... runs a copy, so a rebuild cannot replace it under a running test. */
  static final Path JAR = Path.of(System.getProperty("fault.jar", "target/videopipe.jar")).toAbsolutePath();

  private final String role;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path logDir;
  private Process process;
  private int starts;
  private boolean exactEnvironment;

  public RoleProcess(String role, Path logDir, Map<String, String> env, String heap, String... args) {
    this.role = role;
    this.logDir = logDir;
    this.env = env;
    this.command = new ArrayList<>(List.of(javaExecutable(), "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-jar",
        JAR.toString(), "--spring.profiles.active=" + role));
    command.addAll(List.of(args));
  }

  static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Starts the role with only {@code env} (and the bootstrap key) as its environment, not the test JVM's: as a
   * container gets exactly what its compose service lists.
   */
  public RoleProcess exactEnvironment() {
    this.exactEnvironment = true;
    return this;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Bootstrap key for the REST API where the API-key guard is present; harmless where it is not. */
  public static String apiKey() {
    String key = System.getenv("VIDEOPIPE_BOOTSTRAP_KEY");
    return key == null || key.isBlank() ? "fault-suite-bootstrap-key" : key;
  }

  public RoleProcess start() throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run the fault tests through `mvn verify -Pfault`");
    }
    Files.createDirectories(logDir);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    if (exactEnvironment) {
      pb.environment().clear();
    }
    pb.environment().putAll(env);
    pb.environment().put("VIDEOPIPE_BOOTSTRAP_KEY", apiKey());
    process = pb.start();
    starts++;
    return this;
  }

  public Path log() {
    return logDir.resolve(role + ".log");
  }

  public int starts() {
    return starts;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no graceful worker stop, as when a machine dies. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Waits until the log shows the Spring context started (or the process died). */
  public void awaitStarted(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(role + " exited with " + process.exitValue() + "; see " + log());
      }
      if (Files.exists(log())) {
        long started = Files.readAllLines(log()).stream().filter(l -> l.contains("Started VideoPipeApplication")).count();
        if (started >= starts) {
          return;
        }
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(role + " did not start within " + timeout + "; see " + log());
  }

  /** GET on a role's HTTP port until it answers 200. */
  public static void awaitHttp(HttpClient http, String url, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(url + " did not answer within " + timeout);
  }

  public List<String> errorLines() throws IOException {
    return Files.readAllLines(log()).stream().filter(l -> l.contains(" ERROR ")).toList();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}

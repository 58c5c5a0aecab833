package io.videopipe.realserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local role as an operator runs it ({@code serve}, profile {@code local}) in a JVM of its own, on the test
 * classpath, with a Temporal CLI server it starts itself under {@code dir/data/temporal}. Killable with SIGKILL.
 */
final class LocalRole implements AutoCloseable {
  static final String KEY = "realserver-local-role-key";

  final Path dir;
  final int httpPort;
  final int grpcPort;
  final int uiPort;
  private final List<String> command;
  private final Path log;
  private Process process;
  private int starts;
  private Path keepLog;

  /** Copies the role's log there on close, for reading after the temporary directory is gone. */
  void keepLogIn(Path target) {
    this.keepLog = target;
  }

  LocalRole(Path dir, Path cli, Path sources, String... extra) {
    this.dir = dir;
    this.httpPort = freePort();
    this.grpcPort = freePort();
    this.uiPort = freePort();
    this.log = dir.resolve("local-role.log");
    command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m", "-XX:+ExitOnOutOfMemoryError",
        "-cp", System.getProperty("java.class.path"), "io.videopipe.VideoPipeApplication", "serve",
        "--spring.profiles.active=local",
        "--server.port=" + httpPort,
        "--videopipe.temporal.local.server=cli",
        "--videopipe.temporal.local.cli=" + cli,
        "--videopipe.temporal.local.grpc-port=" + grpcPort,
        "--videopipe.temporal.local.ui-port=" + uiPort,
        "--videopipe.storage.root=" + dir.resolve("data"),
        "--videopipe.storage.work-dir=" + dir.resolve("work"),
        "--videopipe.download.local-roots=" + sources,
        "--videopipe.security.bootstrap-key=" + KEY,
        "--videopipe.workers.cpu-activity-slots=2"));
    command.addAll(List.of(extra));
  }

  LocalRole start() {
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    starts++;
    return this;
  }

  /** Until the log shows this start's Spring context up. */
  void awaitStarted(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the local role exited with " + process.exitValue() + ":\n" + logTail());
      }
      if (Files.exists(log)
          && Files.readAllLines(log).stream().filter(l -> l.contains("Started VideoPipeApplication")).count()
              >= starts) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the local role did not start within " + timeout + ":\n" + logTail());
  }

  /** SIGKILL: no shutdown hook runs, so the Temporal server it started stays behind, as after a crash. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  String logText() throws IOException {
    return Files.readString(log);
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** The pid in the CLI server's pid file, if it runs. */
  java.util.Optional<ProcessHandle> temporalServer() throws IOException {
    Path pid = dir.resolve("data/temporal/temporal.db.pid");
    if (!Files.exists(pid)) {
      return java.util.Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).filter(ProcessHandle::isAlive);
  }

  @Override
  public void close() throws IOException {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    if (keepLog != null && Files.exists(log)) {
      Files.createDirectories(keepLog.toAbsolutePath().getParent());
      Files.copy(log, keepLog, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    // A server a killed role left behind, were the test to end before the role ran again.
    temporalServer().ifPresent(ProcessHandle::destroyForcibly);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.videopipe.temporal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the Temporal CLI ({@code temporal}, whose {@code server start-dev} is a complete Temporal server with SQLite
 * persistence and the Web UI) is installed: the configured path, then {@value #ENV}, then {@code temporal} on PATH,
 * then {@value #PROJECT_LOCAL} (what {@code scripts/install-temporal-cli.sh} installs) in the working directory or a
 * parent of it.
 */
public final class TemporalCli {
  /** Environment variable naming the CLI binary; {@code .ci/run} exports it. */
  public static final String ENV = "VIDEOPIPE_TEMPORAL_CLI";

  public static final String PROJECT_LOCAL = ".tools/temporal-cli/bin/temporal";
  public static final String INSTALL_HINT =
      "run scripts/install-temporal-cli.sh once (installs the pinned Temporal CLI into " + PROJECT_LOCAL
          + "), or set " + ENV + " to a temporal binary";

  private TemporalCli() {}

  /**
   * @param configured a path given in the settings; blank for none
   * @throws IllegalStateException when {@code configured} or {@value #ENV} names a file that is not executable: a
   *     setting that is wrong is an error, not a reason to fall back silently
   */
  public static Optional<Path> find(String configured) {
    if (configured != null && !configured.isBlank()) {
      return Optional.of(executable(Path.of(configured.strip()), "videopipe.temporal.local.cli"));
    }
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return Optional.of(executable(Path.of(env.strip()), ENV));
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isBlank()) {
          Path candidate = Path.of(dir, "temporal");
          if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
            return Optional.of(candidate.toAbsolutePath());
          }
        }
      }
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(PROJECT_LOCAL);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static Path executable(Path p, String setting) {
    if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
      throw new IllegalStateException(setting + " names " + p + ", which is not an executable file; " + INSTALL_HINT);
    }
    return p.toAbsolutePath();
  }
}

package io.videopipe.download;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Keeps local file sources inside the configured root directories. */
final class LocalRoots {
  static final String SETTING = "videopipe.download.local-roots";

  private LocalRoots() {}

  /**
   * The real path of {@code requested} (symbolic links and {@code ..} resolved) when it lies under one of {@code
   * roots}; a path that does not exist is judged by its deepest existing ancestor.
   */
  static Path check(Path requested, List<Path> roots, String display) {
    if (roots.isEmpty()) {
      throw Failures.notAllowed(
          "local file source " + display + " refused: no local roots are configured (set " + SETTING + ")");
    }
    Path real;
    try {
      // Not normalized first: ".." after a symbolic link leads where the link points, as the file system reads it.
      real = realPath(requested.toAbsolutePath());
    } catch (IOException e) {
      throw Failures.notAllowed(
          "local file source " + display + " cannot be resolved: " + e.getClass().getSimpleName());
    }
    List<Path> realRoots = new ArrayList<>();
    for (Path root : roots) {
      try {
        Path r = root.toRealPath();
        if (real.startsWith(r)) {
          return real;
        }
        realRoots.add(r);
      } catch (IOException e) {
        realRoots.add(root);
      }
    }
    throw Failures.notAllowed(
        "local file source "
            + display
            + " is outside the allowed roots "
            + realRoots
            + "; refused (set "
            + SETTING
            + " to permit it)");
  }

  private static Path realPath(Path absolute) throws IOException {
    Path existing = absolute;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    Path rest = existing.relativize(absolute);
    return existing.toRealPath().resolve(rest).normalize();
  }
}

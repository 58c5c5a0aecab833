package io.videopipe.testing;

import io.videopipe.VideoPipeApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One local role (embedded Temporal, both workers, real FFmpeg and Vosk) shared by the end-to-end tests of this
 * module: starting it costs seconds, so every test class reuses it. Storage lives in a temporary directory.
 */
public final class LocalRole {
  private static ConfigurableApplicationContext ctx;
  private static Path dir;

  /** The repository root (tests run in the api module): where the committed samples are. */
  public static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  private LocalRole() {}

  public static synchronized ConfigurableApplicationContext context() {
    if (ctx == null) {
      try {
        dir = Files.createTempDirectory("videopipe-e2e");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ctx =
          VideoPipeApplication.processApplication()
              .run(
                  "--videopipe.storage.root=" + dir.resolve("data"),
                  "--videopipe.storage.work-dir=" + dir.resolve("work"),
                  // small enough for the size-limit test, large enough for the sample (1.2 MB)
                  "--videopipe.download.max-bytes=3000000",
                  "--videopipe.download.allow-plain-http=true",
                  // MockWebServer sources listen on localhost; samples live in the repository, fixtures in dir
                  "--videopipe.download.allowed-hosts=localhost",
                  "--videopipe.download.local-roots=" + REPOSITORY + "," + dir);
      Runtime.getRuntime().addShutdownHook(new Thread(ctx::close));
    }
    return ctx;
  }

  public static Path storageRoot() {
    context();
    return dir.resolve("data");
  }

  public static Path newDir(String name) throws IOException {
    context();
    return Files.createDirectories(dir.resolve("fixtures").resolve(name));
  }
}

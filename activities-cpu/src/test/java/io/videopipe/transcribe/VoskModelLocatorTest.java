package io.videopipe.transcribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VoskModelLocatorTest {
  @TempDir Path dir;

  @Test
  void theAarIsOnTheTestClasspathAsInTheBootJar() {
    // The pom adds the aar to surefire's classpath; Spring Boot's fat jar has it in BOOT-INF/lib/.
    URL conf = getClass().getClassLoader().getResource(VoskModelLocator.RESOURCE_DIR + VoskModelLocator.MODEL_CONF);

    assertThat(conf).isNotNull();
    assertThat(conf.toString()).startsWith("jar:").contains("vosk-model-en-0.3.45.aar!/assets/model-en-us/");
  }

  @Test
  void concurrentCallersExtractOneCompleteCopy() throws Exception {
    Path cache = dir.resolve("cache").resolve("vosk-model-en-us-0.3.45");
    Files.createDirectories(cache.getParent());
    Path stale = Files.createDirectory(cache.resolveSibling(".vosk-model-en-us-0.3.45.tmp-crashed"));
    Files.writeString(stale.resolve("half"), "x");
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(2, ChronoUnit.HOURS)));
    VoskModelLocator locator = new VoskModelLocator(null, cache);
    assertThat(locator.availability().available()).isTrue();
    assertThat(locator.availability().detail()).contains("classpath");

    CyclicBarrier start = new CyclicBarrier(2);
    Callable<Path> locate =
        () -> {
          start.await();
          return locator.locate();
        };
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<Path>> results = threads.invokeAll(List.of(locate, locate));
      assertThat(results.get(0).get()).isEqualTo(cache).isEqualTo(results.get(1).get());
    } finally {
      threads.shutdownNow();
    }

    assertThat(cache.resolve("conf/model.conf")).isRegularFile();
    assertThat(cache.resolve("am/final.mdl")).isRegularFile().hasSize(15_962_575);
    try (Stream<Path> files = Files.walk(cache)) {
      assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(15);
    }
    try (Stream<Path> siblings = Files.list(cache.getParent())) {
      assertThat(siblings).containsExactly(cache);
    }
    assertThat(locator.availability().detail()).isEqualTo("Vosk model at " + cache);
    assertThat(locator.locate()).isEqualTo(cache);
  }

  @Test
  void aConfiguredDirectoryIsUsedAsIs() throws IOException {
    Path model = dir.resolve("model");
    Files.createDirectories(model.resolve("conf"));
    Files.writeString(model.resolve(VoskModelLocator.MODEL_CONF), "--min-active=200\n");

    VoskModelLocator locator = new VoskModelLocator(model, dir.resolve("unused"));

    assertThat(locator.availability().available()).isTrue();
    assertThat(locator.locate()).isEqualTo(model);
    assertThat(dir.resolve("unused")).doesNotExist();
  }

  @Test
  void aConfiguredDirectoryWithoutModelIsUnavailable() {
    VoskModelLocator locator = new VoskModelLocator(dir, dir.resolve("cache"));

    assertThat(locator.availability().available()).isFalse();
    assertThat(locator.availability().detail()).contains("VOSK_MODEL_DIR=" + dir).contains("no conf/model.conf");
    assertThatThrownBy(locator::locate).isInstanceOf(IOException.class).hasMessageContaining("VOSK_MODEL_DIR");
  }

  @Test
  void withoutTheAarNoModelIsAvailable() throws IOException {
    try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
      VoskModelLocator locator = new VoskModelLocator(null, dir.resolve("cache"), empty);

      assertThat(locator.availability().available()).isFalse();
      assertThat(locator.availability().detail()).contains("VOSK_MODEL_DIR").contains("vosk-model-en:0.3.45:aar");
      assertThatThrownBy(locator::locate).isInstanceOf(IOException.class).hasMessageContaining("no Vosk model");
    }
  }

  @Test
  void aCacheDirectoryWithoutModelIsReportedNotOverwritten() throws IOException {
    Path cache = Files.createDirectories(dir.resolve("cache"));

    assertThatThrownBy(() -> new VoskModelLocator(null, cache).locate())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("delete it to re-extract");
  }
}

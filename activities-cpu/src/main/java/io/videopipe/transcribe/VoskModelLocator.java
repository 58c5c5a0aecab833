package io.videopipe.transcribe;

import io.videopipe.transcribe.TranscriptionEngine.Availability;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Optional;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the Vosk English model directory: {@code VOSK_MODEL_DIR} when set, otherwise the model packaged in the
 * {@code com.alphacephei:vosk-model-en} aar on the classpath, extracted once to a cache directory. Extraction writes a
 * temporary sibling directory and renames it into place, so a crash never leaves a half model and concurrent JVMs
 * agree on one copy.
 */
public final class VoskModelLocator {
  public static final String MODEL_DIR_ENV = "VOSK_MODEL_DIR";
  public static final String MODEL_DIR_PROPERTY = "videopipe.vosk.model-dir";
  public static final String CACHE_DIR_ENV = "VOSK_MODEL_CACHE_DIR";
  public static final String CACHE_DIR_PROPERTY = "videopipe.vosk.cache-dir";
  /** The version of the aar the build pins; part of the cache directory name so an upgrade extracts afresh. */
  public static final String MODEL_VERSION = "0.3.45";
  /** Where the aar keeps the model. */
  public static final String RESOURCE_DIR = "assets/model-en-us/";

  static final String MODEL_CONF = "conf/model.conf";
  private static final String TMP_MARK = ".tmp-";
  /** Older temporary directories are left-overs of a crashed extraction. */
  private static final Duration STALE_TMP = Duration.ofHours(1);

  private final Path modelDir;
  private final Path cacheDir;
  private final ClassLoader classLoader;

  /**
   * @param modelDir an unpacked model to use as is, or null to use the packaged one
   * @param cacheDir where the packaged model is extracted
   */
  public VoskModelLocator(Path modelDir, Path cacheDir, ClassLoader classLoader) {
    this.modelDir = modelDir;
    this.cacheDir = cacheDir.toAbsolutePath().normalize();
    this.classLoader = classLoader;
  }

  public VoskModelLocator(Path modelDir, Path cacheDir) {
    this(modelDir, cacheDir, VoskModelLocator.class.getClassLoader());
  }

  /** Reads {@code VOSK_MODEL_DIR} / {@code VOSK_MODEL_CACHE_DIR} (or their system properties). */
  public static VoskModelLocator fromEnvironment() {
    Path dir = setting(MODEL_DIR_PROPERTY, MODEL_DIR_ENV).map(Path::of).orElse(null);
    Path cache = setting(CACHE_DIR_PROPERTY, CACHE_DIR_ENV).map(Path::of).orElseGet(VoskModelLocator::defaultCacheDir);
    return new VoskModelLocator(dir, cache);
  }

  public static Path defaultCacheDir() {
    return Path.of(System.getProperty("user.home"), ".cache", "videopipe", "vosk-model-en-us-" + MODEL_VERSION);
  }

  private static Optional<String> setting(String property, String env) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /** Whether a model can be had, without extracting or loading it. */
  public Availability availability() {
    if (modelDir != null) {
      return Files.isRegularFile(modelDir.resolve(MODEL_CONF))
          ? new Availability(true, "Vosk model at " + modelDir)
          : new Availability(false, MODEL_DIR_ENV + "=" + modelDir + " holds no Vosk model (no " + MODEL_CONF + ")");
    }
    if (Files.isRegularFile(cacheDir.resolve(MODEL_CONF))) {
      return new Availability(true, "Vosk model at " + cacheDir);
    }
    if (classLoader.getResource(RESOURCE_DIR + MODEL_CONF) != null) {
      return new Availability(true, "Vosk model packaged on the classpath, extracted on first use to " + cacheDir);
    }
    return new Availability(
        false,
        "no Vosk model: set "
            + MODEL_DIR_ENV
            + " or put com.alphacephei:vosk-model-en:"
            + MODEL_VERSION
            + ":aar on the classpath");
  }

  /** The model directory, extracting the packaged model first if needed. */
  public Path locate() throws IOException {
    if (modelDir != null) {
      if (!Files.isRegularFile(modelDir.resolve(MODEL_CONF))) {
        throw new IOException(MODEL_DIR_ENV + "=" + modelDir + " holds no Vosk model (no " + MODEL_CONF + ")");
      }
      return modelDir;
    }
    if (Files.isDirectory(cacheDir)) {
      return checked(cacheDir);
    }
    URL conf = classLoader.getResource(RESOURCE_DIR + MODEL_CONF);
    if (conf == null) {
      throw new IOException(availability().detail());
    }
    if ("file".equals(conf.getProtocol())) {
      // An exploded model on the classpath (IDE, unpacked resources) is usable in place.
      try {
        return Path.of(conf.toURI()).getParent().getParent();
      } catch (URISyntaxException e) {
        throw new IOException("bad model URL " + conf, e);
      }
    }
    URLConnection connection = conf.openConnection();
    if (!(connection instanceof JarURLConnection jar)) {
      throw new IOException("cannot extract the Vosk model from " + conf);
    }
    // Our own JarFile, so closing it cannot break the class loader's cached one.
    jar.setUseCaches(false);
    try (JarFile archive = jar.getJarFile()) {
      return extract(archive);
    }
  }

  private Path extract(JarFile archive) throws IOException {
    Path parent = Files.createDirectories(cacheDir.getParent());
    deleteStaleTemporaries(parent);
    Path tmp = parent.resolve("." + cacheDir.getFileName() + TMP_MARK + UUID.randomUUID());
    try {
      Files.createDirectory(tmp);
      int files = 0;
      Enumeration<JarEntry> entries = archive.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        String name = entry.getName();
        if (!name.startsWith(RESOURCE_DIR) || name.length() == RESOURCE_DIR.length()) {
          continue;
        }
        Path target = tmp.resolve(name.substring(RESOURCE_DIR.length())).normalize();
        if (!target.startsWith(tmp)) {
          throw new IOException("model entry escapes its directory: " + name);
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = archive.getInputStream(entry)) {
          Files.copy(in, target);
        }
        files++;
      }
      if (!Files.isRegularFile(tmp.resolve(MODEL_CONF))) {
        throw new IOException(archive.getName() + " has no " + RESOURCE_DIR + MODEL_CONF + " (" + files + " files)");
      }
      try {
        Files.move(tmp, cacheDir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        // Another JVM or thread renamed its complete copy into place first (EEXIST / ENOTEMPTY): use that one.
        if (!Files.isRegularFile(cacheDir.resolve(MODEL_CONF))) {
          throw e;
        }
      }
      return checked(cacheDir);
    } finally {
      deleteTree(tmp);
    }
  }

  private static Path checked(Path dir) throws IOException {
    if (!Files.isRegularFile(dir.resolve(MODEL_CONF))) {
      throw new IOException(dir + " exists but holds no Vosk model (no " + MODEL_CONF + "); delete it to re-extract");
    }
    return dir;
  }

  /** Best effort: another process may be deleting the same left-overs. */
  private void deleteStaleTemporaries(Path parent) throws IOException {
    String prefix = "." + cacheDir.getFileName() + TMP_MARK;
    FileTime cutoff = FileTime.from(Instant.now().minus(STALE_TMP));
    try (Stream<Path> siblings = Files.list(parent)) {
      for (Path p : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        try {
          if (Files.getLastModifiedTime(p).compareTo(cutoff) < 0) {
            deleteTree(p);
          }
        } catch (IOException | UncheckedIOException e) {
          // gone already, or not ours to delete: the next extraction tries again
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

package io.videopipe.storage;

import com.google.cloud.storage.StorageOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/** Builds the {@link Storage} a root URI names: {@code file://} or a plain path is local, {@code gs://} is GCS. */
public final class StorageFactory {

  private StorageFactory() {}

  /** Opens a root, creating a GCS client from the environment's default credentials only when one is needed. */
  public static Storage open(String rootUri) {
    return open(rootUri, () -> StorageOptions.getDefaultInstance().getService());
  }

  /**
   * Opens a root.
   *
   * @param rootUri {@code gs://bucket/prefix/}, {@code file:///dir/} or a local path such as {@code ./data}
   * @param gcsClient supplies the GCS client for a {@code gs://} root; not called for local roots
   */
  public static Storage open(String rootUri, Supplier<com.google.cloud.storage.Storage> gcsClient) {
    if (rootUri == null || rootUri.isBlank()) {
      throw new IllegalArgumentException("storage root is empty");
    }
    String trimmed = rootUri.trim();
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (lower.startsWith("gs://")) {
      // pending writes are buffered in the system's temporary directory
      return new GcsStorage(gcsClient.get(), URI.create(trimmed), Path.of(System.getProperty("java.io.tmpdir")));
    }
    if (lower.startsWith("file:")) {
      return new LocalStorage(Path.of(URI.create(trimmed)));
    }
    if (trimmed.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
      throw new IllegalArgumentException("unsupported storage root " + trimmed + " (use gs://, file:// or a path)");
    }
    return new LocalStorage(Path.of(trimmed));
  }
}

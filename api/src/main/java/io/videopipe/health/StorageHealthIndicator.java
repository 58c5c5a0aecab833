package io.videopipe.health;

import io.videopipe.storage.LocalStorage;
import io.videopipe.storage.Storage;
import java.nio.file.Files;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Storage reachable: a local root is a writable directory; a bucket answers a metadata lookup (cheap, lists nothing).
 */
public class StorageHealthIndicator implements HealthIndicator {
  private final Storage storage;

  public StorageHealthIndicator(Storage storage) {
    this.storage = storage;
  }

  @Override
  public Health health() {
    Health.Builder health = Health.up().withDetail("root", storage.root().toString());
    try {
      if (storage instanceof LocalStorage local) {
        if (!Files.isDirectory(local.rootDir()) || !Files.isWritable(local.rootDir())) {
          return health.down().withDetail("error", "not a writable directory").build();
        }
      } else {
        storage.size(storage.root().resolve(".health"));
      }
      return health.build();
    } catch (Exception e) {
      return health.down().withDetail("error", String.valueOf(e.getMessage())).build();
    }
  }
}

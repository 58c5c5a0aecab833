package io.videopipe.security;

import io.videopipe.storage.Storage;
import io.videopipe.storage.StorageFactory;
import java.io.IOException;
import java.nio.file.Files;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * For slice tests behind the real key filter: keys created over the API live in storage (KeyStore), here a real local
 * one in a temporary directory.
 */
@TestConfiguration
public class TempKeyStorage {
  @Bean
  Storage storage() throws IOException {
    return StorageFactory.open(Files.createTempDirectory("key-storage-test").toString());
  }
}

package io.videopipe.worker;

import io.videopipe.config.VideoPipeProperties;
import io.videopipe.storage.Storage;
import io.videopipe.storage.StorageFactory;
import io.videopipe.transcribe.TranscriptStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** Artifact storage, shared by the API (reading artifacts) and both workers (writing them). */
@Configuration(proxyBeanMethods = false)
@Profile({"local", "api", "cpu-worker", "gpu-worker"})
public class StorageConfiguration {

  @Bean
  Storage storage(VideoPipeProperties props) {
    return StorageFactory.open(props.storage().root());
  }

  @Bean
  TranscriptStore transcriptStore(Storage storage) {
    return new TranscriptStore(storage);
  }
}

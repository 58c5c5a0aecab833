package io.videopipe.worker;

import io.videopipe.config.VideoPipeProperties;
import io.videopipe.parakeet.ParakeetEngine;
import io.videopipe.parakeet.ParakeetModel;
import io.videopipe.route.Engine;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Parakeet on the GPU worker when {@code PARAKEET_MODEL_DIR} is set: the model is validated and loaded at start-up,
 * once per worker. A bad model directory stops a gpu-worker from starting; the local role logs it and runs without.
 * The engine's encoder batches are shared by the activities the worker runs at once ({@code
 * videopipe.workers.gpu-activity-slots}; 4 suits one GPU), each decoding its own segments.
 */
@Configuration(proxyBeanMethods = false)
@Profile({"local", "gpu-worker"})
public class ParakeetConfiguration implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(ParakeetConfiguration.class);

  private ParakeetEngine engine;

  @Bean
  GpuWorkerConfiguration.GpuEngine parakeetGpuEngine(VideoPipeProperties props, Environment env) {
    VideoPipeProperties.Parakeet p = props.engines().parakeet();
    if (p.modelDir().isBlank()) {
      log.info("Parakeet is off: PARAKEET_MODEL_DIR (videopipe.engines.parakeet.model-dir) is not set");
      return null;
    }
    if (props.workers().gpuActivitySlots() < 2) {
      log.info(
          "GPU worker runs {} transcription at a time: Parakeet batches segments of concurrent jobs, so "
              + "videopipe.workers.gpu-activity-slots=4 keeps one GPU busier",
          props.workers().gpuActivitySlots());
    }
    ParakeetEngine.Settings settings =
        new ParakeetEngine.Settings(
            Path.of(p.modelDir()),
            new ParakeetModel.Options(p.int8(), true, p.deviceId(), p.intraOpThreads()),
            p.maxSegmentSec(),
            p.batchSize(),
            p.batchLingerMillis(),
            p.vadOnGpu());
    try {
      engine = ParakeetEngine.load(settings);
    } catch (RuntimeException e) {
      if (env.acceptsProfiles(Profiles.of("gpu-worker"))) {
        throw new IllegalStateException("Parakeet cannot start: " + e.getMessage(), e);
      }
      log.warn("Parakeet is off: {}", e.getMessage());
      return null;
    }
    return new GpuWorkerConfiguration.GpuEngine(Engine.PARAKEET, engine);
  }

  @Override
  public void destroy() throws Exception {
    if (engine != null) {
      engine.close();
    }
  }
}

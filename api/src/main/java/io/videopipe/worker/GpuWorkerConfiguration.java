package io.videopipe.worker;

import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.videopipe.config.VideoPipeProperties;
import io.videopipe.route.Engine;
import io.videopipe.storage.Storage;
import io.videopipe.transcribe.TranscribeActivitiesImpl;
import io.videopipe.transcribe.TranscriptStore;
import io.videopipe.transcribe.TranscriptionEngine;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The GPU worker: polls the GPU queue for transcription with the GPU engines this process has. Concurrency is sized
 * for one GPU. With no GPU engine configured, a job sent here fails fast (EngineUnavailable) and falls back.
 */
@Configuration(proxyBeanMethods = false)
@Profile({"local", "gpu-worker"})
public class GpuWorkerConfiguration {
  private static final Logger log = LoggerFactory.getLogger(GpuWorkerConfiguration.class);

  @Bean
  Worker gpuWorker(
      WorkerFactory factory,
      VideoPipeProperties props,
      Storage storage,
      TranscriptStore transcripts,
      ObjectProvider<GpuEngine> gpuEngines) {
    Worker worker =
        factory.newWorker(
            props.queues().gpu(),
            WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(props.workers().gpuActivitySlots())
                .setMaxHeartbeatThrottleInterval(props.workers().heartbeatInterval())
                .build());
    Map<Engine, TranscriptionEngine> engines = new EnumMap<>(Engine.class);
    gpuEngines.orderedStream().forEach(g -> engines.put(g.engine(), g.impl()));
    if (engines.isEmpty()) {
      // A worker with no activity polls nothing: on a real server its poll would tell the router a GPU engine is
      // there (DescribeTaskQueue), and every job routed to it would fail over.
      log.info("GPU worker: no GPU engine configured (PARAKEET_MODEL_DIR), so it does not poll '{}'",
          props.queues().gpu());
      return worker;
    }
    worker.registerActivitiesImplementations(new TranscribeActivitiesImpl(storage, transcripts, engines));
    log.info("GPU worker polls task queue '{}' with engines {}", props.queues().gpu(), engines.keySet());
    return worker;
  }

  /** A transcription engine that runs on the GPU worker. */
  public record GpuEngine(Engine engine, TranscriptionEngine impl) {}
}

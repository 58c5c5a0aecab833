package io.videopipe.worker;

import com.google.cloud.storage.StorageOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.videopipe.audio.AudioActivitiesImpl;
import io.videopipe.audio.AudioSettings;
import io.videopipe.cleanup.CleanupActivitiesImpl;
import io.videopipe.clip.ClipActivitiesImpl;
import io.videopipe.clip.ClipRenderer;
import io.videopipe.config.LlmProperties;
import io.videopipe.config.PriceProperties;
import io.videopipe.config.VideoPipeProperties;
import io.videopipe.cost.CostActivitiesImpl;
import io.videopipe.cost.CostModel;
import io.videopipe.cost.Prices;
import io.videopipe.deepgram.AudioUrlSigner;
import io.videopipe.deepgram.DeepgramEngine;
import io.videopipe.deepgram.DeepgramSettings;
import io.videopipe.deepgram.GcsUrlSigner;
import io.videopipe.download.DownloadActivitiesImpl;
import io.videopipe.download.DownloadSettings;
import io.videopipe.download.StagingArea;
import io.videopipe.highlight.HighlightActivitiesImpl;
import io.videopipe.highlight.HighlightSelector;
import io.videopipe.highlight.LlmRanker;
import io.videopipe.loudness.LoudnessMeter;
import io.videopipe.pipeline.PipelineTimeouts;
import io.videopipe.pipeline.VideoPipelineWorkflow;
import io.videopipe.pipeline.VideoPipelineWorkflowImpl;
import io.videopipe.qa.QaActivitiesImpl;
import io.videopipe.refine.RefineActivitiesImpl;
import io.videopipe.route.Engine;
import io.videopipe.route.RouteActivitiesImpl;
import io.videopipe.storage.GcsStorage;
import io.videopipe.storage.Storage;
import io.videopipe.temporal.EmbeddedTemporal;
import io.videopipe.transcribe.TranscribeActivitiesImpl;
import io.videopipe.transcribe.TranscriptStore;
import io.videopipe.transcribe.TranscriptionEngine;
import io.videopipe.transcribe.TranscriptionEngine.Availability;
import io.videopipe.transcribe.VoskEngine;
import io.videopipe.transcribe.VoskModelLocator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The CPU worker: polls the CPU queue for the workflow itself and every CPU step (download, extract audio, route facts,
 * local transcription, highlights, QA, cost, cleanup).
 */
@Configuration(proxyBeanMethods = false)
@Profile({"local", "cpu-worker"})
public class CpuWorkerConfiguration {
  private static final Logger log = LoggerFactory.getLogger(CpuWorkerConfiguration.class);

  @Bean(destroyMethod = "close")
  VoskEngine voskEngine(VideoPipeProperties props) {
    VideoPipeProperties.Local local = props.engines().local();
    VoskModelLocator locator =
        new VoskModelLocator(
            local.modelDir().isBlank() ? null : Path.of(local.modelDir()),
            local.cacheDir().isBlank() ? VoskModelLocator.defaultCacheDir() : Path.of(local.cacheDir()));
    int threads = local.threads() > 0 ? local.threads() : Runtime.getRuntime().availableProcessors();
    VoskEngine engine =
        new VoskEngine(locator, new VoskEngine.Settings(threads, VoskEngine.Settings.DEFAULT_CHUNK_TARGET_SEC));
    // Loading the model takes seconds: do it now, in the background, rather than in the first job.
    Thread preload =
        new Thread(
            () -> {
              try {
                engine.loadModel();
              } catch (Exception e) {
                log.warn("local engine: model not loaded at start-up ({}); the first job will retry", e.getMessage());
              } 
            },
            "vosk-preload");
    preload.setDaemon(true);
    preload.start();
    return engine;
  }

  /** Deepgram, only when the worker has a key (DEEPGRAM_API_KEY); the key stays in this bean. */
  @Bean(destroyMethod = "close")
  @Conditional(DeepgramKeySet.class)
  DeepgramEngine deepgramEngine(VideoPipeProperties props, Storage storage) {
    VideoPipeProperties.Deepgram d = props.engines().deepgram();
    DeepgramSettings settings =
        DeepgramSettings.defaults(d.baseUrl(), d.apiKey())
            .withModel(d.model())
            .withDiarize(d.diarize())
            .withMaxConcurrentRequests(d.maxConcurrentRequests())
            .withTimeouts(d.connectTimeout(), d.readTimeout());
    AudioUrlSigner signer =
        d.signedUrl() && storage instanceof GcsStorage
            ? new GcsUrlSigner(StorageOptions.getDefaultInstance().getService())
            : null;
    log.info("Deepgram engine on: {} (signed URLs for gs:// audio: {})", settings, signer != null);
    return new DeepgramEngine(settings, signer);
  }

  /** True when {@code videopipe.engines.deepgram.api-key} (DEEPGRAM_API_KEY) is set and not blank. */
  static final class DeepgramKeySet implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return !VideoPipeProperties.bind(context.getEnvironment()).engines().deepgram().apiKey().isBlank();
    }
  }

  /** The download's staging directory; partial downloads left behind are swept at start and periodically. */
  @Bean
  StagingArea downloadStaging(VideoPipeProperties props) {
    return new StagingArea(downloadSettings(props).stagingDir(), props.download().stagingMaxAge());
  }

  @Bean(destroyMethod = "close")
  StagingArea.Sweeper downloadStagingSweeper(StagingArea staging) {
    return staging.sweepEvery(staging.sweepPeriod());
  }

  @Bean
  Worker cpuWorker(
      WorkerFactory factory,
      VideoPipeProperties props,
      StagingArea downloadStaging,
      PriceProperties priceProperties,
      LlmProperties llm,
      Storage storage,
      TranscriptStore transcripts,
      VoskEngine vosk,
      ObjectProvider<DeepgramEngine> deepgram,
      WorkflowClient client,
      ObjectProvider<EmbeddedTemporal> embedded) {
    Worker worker =
        factory.newWorker(
            props.queues().cpu(),
            WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(props.workers().cpuActivitySlots())
                .setMaxConcurrentWorkflowTaskExecutionSize(props.workers().workflowSlots())
                .setMaxHeartbeatThrottleInterval(props.workers().heartbeatInterval())
                .build());
    PipelineTimeouts timeouts =
        PipelineTimeouts.defaults()
            .withGpuScheduleToStart(props.gpuPool().scheduleToStart())
            .withHeartbeat(props.workers().heartbeatTimeout());
    worker.registerWorkflowImplementationFactory(
        VideoPipelineWorkflow.class, () -> new VideoPipelineWorkflowImpl(timeouts));

    Map<Engine, TranscriptionEngine> cpuEngines = new EnumMap<>(Engine.class);
    if (props.engines().local().enabled()) {
      cpuEngines.put(Engine.LOCAL, vosk);
    }
    deepgram.ifAvailable(engine -> cpuEngines.put(Engine.DEEPGRAM, engine));
    Supplier<Availability> gpu =
        embedded.getIfAvailable() != null
            ? parakeetFromConfiguration(props)
            : new GpuPollers(
                () -> client.getWorkflowServiceStubs().blockingStub(),
                client.getOptions().getNamespace(),
                props.queues().gpu(),
                Clock.systemUTC());
    if (props.gpuPool().scaleFromZero()) {
      gpu = scaleFromZero(gpu, props.gpuPool().scheduleToStart());
    }
    LoudnessMeter loudness = new LoudnessMeter();
    Prices prices = priceProperties.toPrices();
    worker.registerActivitiesImplementations(
        DownloadActivitiesImpl.newBuilder(storage, downloadSettings(props)).setStaging(downloadStaging).build(),
        new AudioActivitiesImpl(storage, new AudioSettings(workDir(props, "audio"), AudioSettings.defaults().progressEvery())),
        new RouteActivitiesImpl(routeAvailability(cpuEngines, gpu), prices, vosk.settings().threads()),
        new TranscribeActivitiesImpl(storage, transcripts, cpuEngines),
        new HighlightActivitiesImpl(
            storage, transcripts, loudness, HighlightSelector.Settings.defaults(),
            llm.enabled() ? new LlmRanker(llm.settings()) : null),
        new QaActivitiesImpl(storage, transcripts, loudness),
        new ClipActivitiesImpl(
            storage,
            transcripts,
            new ClipRenderer.Settings(props.clips().x264Preset(), props.clips().crf(), workDir(props, "clips"))),
        new CostActivitiesImpl(storage, new CostModel(prices, CostModel.Assumptions.defaults())),
        new CleanupActivitiesImpl(storage));
    // HYBRID's second pass needs Deepgram; without it the route policy never plans a refinement.
    deepgram.ifAvailable(
        engine ->
            worker.registerActivitiesImplementations(
                new RefineActivitiesImpl(
                    storage,
                    transcripts,
                    engine,
                    props.engines().hybrid().refineSettings(),
                    workDir(props, "refine"))));
    log.info("CPU worker polls task queue '{}' ({} activity slots)", props.queues().cpu(), props.workers().cpuActivitySlots());
    return worker;
  }

  /** The download settings, read the same way by the worker (download) and the API (checks at submit). */
  public static DownloadSettings downloadSettings(VideoPipeProperties props) {
    VideoPipeProperties.Download d = props.download();
    return DownloadSettings.deployed()
        .withMaxBytes(d.maxBytes())
        .withAllowLocalFiles(d.allowLocalFiles())
        .withAllowPlainHttp(d.allowPlainHttp())
        .withStagingDir(workDir(props, "download"))
        .withConnectTimeout(d.connectTimeout())
        .withReadTimeout(d.readTimeout())
        .withAllowedHosts(d.allowedHosts())
        .withAllowedBuckets(d.allowedBuckets().stream().map(String::strip).filter(b -> !b.isEmpty()).toList())
        .withLocalRoots(d.localRoots().stream().filter(r -> !r.isBlank()).map(r -> Path.of(r.strip())).toList());
  }

  static Path workDir(VideoPipeProperties props, String name) {
    return Path.of(props.storage().workDir()).resolve(name).toAbsolutePath().normalize();
  }

  /** CPU engines answer for themselves; the GPU engine runs elsewhere, so {@code gpu} answers for it. */
  static Map<Engine, Supplier<Availability>> routeAvailability(
      Map<Engine, TranscriptionEngine> cpuEngines, Supplier<Availability> gpu) {
    Map<Engine, Supplier<Availability>> availability = new EnumMap<>(Engine.class);
    cpuEngines.forEach((engine, impl) -> availability.put(engine, impl::availability));
    availability.put(Engine.PARAKEET, gpu);
    availability.putIfAbsent(
        Engine.DEEPGRAM, () -> new Availability(false, "no Deepgram engine on this worker (DEEPGRAM_API_KEY is not set)"));
    return availability;
  }

  /**
   * A GPU pool that scales from zero on backlog has no poller until a job queues work for it: count it as available
   * (the job's task wakes the pool, and the schedule-to-start timeout covers the cold start).
   */
  static Supplier<Availability> scaleFromZero(Supplier<Availability> pollers, Duration coldStart) {
    return () -> {
      Availability now = pollers.get();
      return now.available()
          ? now
          : new Availability(
              true,
              "GPU pool scales from zero (" + now.detail() + "); a worker is expected within " + coldStart);
    };
  }

  /**
   * The embedded test server has no DescribeTaskQueue, so it cannot tell whether a GPU worker polls: there PARAKEET
   * counts as available when a Parakeet model directory is configured.
   */
  static Supplier<Availability> parakeetFromConfiguration(VideoPipeProperties props) {
    String parakeetDir = props.engines().parakeet().modelDir();
    return () ->
        parakeetDir.isBlank()
            ? new Availability(false, "no GPU engine configured (PARAKEET_MODEL_DIR is not set; the embedded Temporal"
                + " server cannot report GPU pollers)")
            : new Availability(true, "Parakeet model configured at " + parakeetDir
                + " (embedded Temporal server: from configuration, not from GPU pollers)");
  }
}

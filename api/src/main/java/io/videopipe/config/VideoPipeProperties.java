package io.videopipe.config;

import io.videopipe.deepgram.DeepgramSettings;
import io.videopipe.download.DownloadSettings;
import io.videopipe.notify.WebhookSettings;
import io.videopipe.parakeet.ParakeetEngine;
import io.videopipe.pipeline.TaskQueues;
import io.videopipe.refine.RefineSettings;
import io.videopipe.pipeline.PipelineTimeouts;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.Environment;

/**
 * The settings of the pipeline itself, bound from {@code videopipe.*} (application.yml, environment, command line).
 * Feature packages own the rest of the tree ({@code videopipe.security}, {@code .codec}, {@code .events}, {@code .ui},
 * {@code .uploads}, {@code .temporal.local}, {@code .prices}, {@code .highlights.llm}); every one is a record found by
 * {@code @ConfigurationPropertiesScan} on {@link io.videopipe.VideoPipeApplication}, each default is written once
 * (here, or in application.yml where it depends on another setting), and the environment names that are not Spring's
 * relaxed form are listed in {@link EnvironmentAliases}. docs/configuration.md lists every key; SettingsTableTest
 * checks it against the generated metadata.
 *
 * @param apiUrl where users reach the REST API: the base of the artifact links on each job's Temporal Web UI page
 */
@ConfigurationProperties("videopipe")
public record VideoPipeProperties(
    String apiUrl,
    @DefaultValue Temporal temporal,
    @DefaultValue Queues queues,
    @DefaultValue Storage storage,
    @DefaultValue Download download,
    @DefaultValue Engines engines,
    @DefaultValue Workers workers,
    @DefaultValue GpuPool gpuPool,
    @DefaultValue Clips clips,
    @DefaultValue Webhooks webhooks) {

  /**
   * The same tree, bound where no bean can be injected yet (bean conditions): the same defaults, the same aliases.
   */
  public static VideoPipeProperties bind(Environment env) {
    return Binder.get(env).bindOrCreate("videopipe", VideoPipeProperties.class);
  }

  /**
   * How the GPU queue's workers come and go.
   *
   * @param scaleFromZero the GPU pool scales up on queue backlog (KEDA): route to Parakeet even when no GPU worker
   *     polls right now, since the job's own task is what wakes the pool
   * @param scheduleToStart how long a GPU transcription waits for a GPU worker before the next engine runs; with a pool
   *     that scales from zero it must cover a cold start (node, driver, image, model)
   */
  public record GpuPool(
      @DefaultValue("false") boolean scaleFromZero, @DefaultValue("2m") Duration scheduleToStart) {}

  /**
   * @param address host:port of the Temporal frontend for the api and worker roles
   * @param namespace Temporal namespace
   * @param devServerPort port of the dev-server role (binds 127.0.0.1)
   * @param tls connect over TLS (Temporal Cloud, or a self-hosted frontend with TLS)
   * @param tlsCertFile client certificate (PEM) for mutual TLS, with {@code tlsKeyFile} (PKCS#8 PEM); empty for
   *     server-only TLS
   * @param tlsKeyFile private key (PKCS#8 PEM) of {@code tlsCertFile}
   * @param apiKey Temporal Cloud API key ({@code TEMPORAL_API_KEY}); implies TLS
   * @param uiUrl the Temporal Web UI the api role links each job to when it runs no local server; empty: no link
   */
  public record Temporal(
      @DefaultValue("127.0.0.1:7233") String address,
      @DefaultValue("default") String namespace,
      @DefaultValue("7233") int devServerPort,
      @DefaultValue("false") boolean tls,
      @DefaultValue("") String tlsCertFile,
      @DefaultValue("") String tlsKeyFile,
      @DefaultValue("") String apiKey,
      @DefaultValue("") String uiUrl) {

    /** Never prints the API key. */
    @Override
    public String toString() {
      return "Temporal[address=" + address + ", namespace=" + namespace + ", tls=" + tls + ", tlsCertFile="
          + tlsCertFile + ", apiKey=" + (apiKey.isBlank() ? "(not set)" : "(set)") + "]";
    }
  }

  /**
   * @param cpu task queue of the workflow and every CPU step
   * @param gpu task queue of the GPU transcription (Parakeet)
   */
  public record Queues(@DefaultValue("video-cpu") String cpu, @DefaultValue("video-gpu") String gpu) {
    public TaskQueues taskQueues() {
      return new TaskQueues(cpu, gpu);
    }
  }

  /**
   * @param root {@code ./data}, {@code file:///...} or {@code gs://bucket/prefix}
   * @param workDir worker-local scratch directory (download staging, temporary media)
   */
  public record Storage(@DefaultValue("./data") String root, @DefaultValue("./data/work") String workDir) {}

  /**
   * @param maxBytes largest source accepted
   * @param allowLocalFiles accept local paths and file:// sources (true in the local role only)
   * @param allowPlainHttp accept http:// as well as https://
   * @param allowedHosts host names, IP addresses and CIDR ranges sources may reach although they are loopback,
   *     private, link-local or cloud metadata addresses (empty: none, the safe default everywhere)
   * @param localRoots directories local file sources must lie in (symbolic links and {@code ..} resolved); relative
   *     ones are taken from the working directory; empty: no local file is accepted
   * @param allowedBuckets the only buckets gs:// sources may name; empty: any the worker's credentials can read
   * @param connectTimeout HTTP connect timeout of a download
   * @param readTimeout longest wait for response headers or for the next bytes of a body
   * @param stagingMaxAge how long a partial download may wait in the worker's staging directory for its retry; older
   *     parts and checkpoints no attempt is using are deleted at worker start and periodically
   */
  public record Download(
      @DefaultValue("" + DownloadSettings.DEFAULT_MAX_BYTES) long maxBytes,
      @DefaultValue("false") boolean allowLocalFiles,
      @DefaultValue("false") boolean allowPlainHttp,
      @DefaultValue("" + DownloadSettings.DEFAULT_CONNECT_TIMEOUT_SECONDS + "s") Duration connectTimeout,
      @DefaultValue("" + DownloadSettings.DEFAULT_READ_TIMEOUT_SECONDS + "s") Duration readTimeout,
      @DefaultValue List<String> allowedHosts,
      @DefaultValue List<String> localRoots,
      @DefaultValue List<String> allowedBuckets,
      @DefaultValue("24h") Duration stagingMaxAge) {}

  public record Engines(
      @DefaultValue Local local,
      @DefaultValue Parakeet parakeet,
      @DefaultValue Deepgram deepgram,
      @DefaultValue Hybrid hybrid) {}

  /**
   * The {@code hybrid} plan: local transcription, then Deepgram on the stretches it was unsure of.
   *
   * @param confidenceThreshold words below this confidence (0..1) are re-transcribed by Deepgram
   * @param paddingSec audio kept on each side of a low-confidence word, so Deepgram hears its context
   * @param minWindowSec shortest stretch sent to Deepgram (shorter ones are widened around their centre)
   */
  public record Hybrid(
      @DefaultValue("0.6") double confidenceThreshold,
      @DefaultValue("0.5") double paddingSec,
      @DefaultValue("1.0") double minWindowSec) {
    public RefineSettings refineSettings() {
      return new RefineSettings(confidenceThreshold, paddingSec, minWindowSec);
    }
  }

  /**
   * Clip encoding.
   *
   * @param x264Preset speed/size trade-off of libx264
   * @param crf constant rate factor of libx264 (lower: better and larger)
   */
  public record Clips(@DefaultValue("veryfast") String x264Preset, @DefaultValue("21") int crf) {}

  /**
   * Webhook delivery (CPU worker) and the checks of a job's webhook URL at submit (API).
   *
   * @param secret HMAC-SHA256 key the requests are signed with ({@code VIDEOPIPE_WEBHOOK_SECRET}); empty: unsigned;
   *     never printed by {@link #toString()}
   * @param allowedHosts host names, addresses and CIDR ranges webhooks may reach although they are internal
   * @param allowPlainHttp accept http:// webhook URLs, not only https://
   * @param connectTimeout TCP connect timeout of a delivery
   * @param readTimeout longest wait for the receiver's answer
   */
  public record Webhooks(
      @DefaultValue("") String secret,
      @DefaultValue List<String> allowedHosts,
      @DefaultValue("false") boolean allowPlainHttp,
      @DefaultValue("5s") Duration connectTimeout,
      @DefaultValue("10s") Duration readTimeout) {
    public WebhookSettings settings() {
      return new WebhookSettings(
          secret,
          allowedHosts.stream().map(String::strip).filter(h -> !h.isEmpty()).toList(),
          allowPlainHttp,
          connectTimeout,
          readTimeout);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
      return settings().toString();
    }
  }

  /**
   * @param enabled offer the local (Vosk) engine on the CPU worker
   * @param modelDir Vosk model directory; empty means the model bundled in the jar (extracted once to cacheDir)
   * @param cacheDir where the bundled model is extracted; empty: {@code ~/.cache/videopipe}
   * @param threads stretches recognised in parallel; 0 means one per core
   */
  public record Local(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("") String modelDir,
      @DefaultValue("") String cacheDir,
      @DefaultValue("0") int threads) {}

  /**
   * @param modelDir directory of the Parakeet-TDT ONNX export ({@code PARAKEET_MODEL_DIR})
   * @param deviceId CUDA device; without CUDA the CPU execution provider runs
   * @param int8 load the int8 files (for CPU; slow on CUDA)
   * @param intraOpThreads ONNX Runtime CPU threads per session, 0 for its default
   * @param maxSegmentSec longest speech segment cut by the VAD
   * @param batchSize segments per encoder run; segments of the jobs running at once on the worker share runs
   * @param batchLingerMillis how long a partial encoder batch waits for segments of other jobs (never when every
   *     running job already has segments in it); with it, 4 GPU activity slots on one GPU are sensible
   * @param vadOnGpu run Silero VAD on the model's GPU in 4 s chunks (false keeps it on the CPU cores, in 30 s chunks)
   */
  public record Parakeet(
      @DefaultValue("") String modelDir,
      @DefaultValue("0") int deviceId,
      @DefaultValue("false") boolean int8,
      @DefaultValue("0") int intraOpThreads,
      @DefaultValue("20") double maxSegmentSec,
      @DefaultValue("8") int batchSize,
      @DefaultValue("" + ParakeetEngine.Settings.DEFAULT_BATCH_LINGER_MILLIS) long batchLingerMillis,
      @DefaultValue("true") boolean vadOnGpu) {}

  /**
   * Deepgram on the CPU worker; the engine exists only when {@code apiKey} is set.
   *
   * @param apiKey bound from the environment ({@code DEEPGRAM_API_KEY}, see application.yml) on the worker; never job
   *     input, never printed by {@link #toString()}
   * @param baseUrl Deepgram endpoint (a self-hosted Deepgram, or a test server)
   * @param model Deepgram model
   * @param maxConcurrentRequests requests in flight at once from one worker (Deepgram allows 100 per project)
   * @param connectTimeout TCP connect timeout
   * @param readTimeout longest silence while uploading or waiting for the answer
   * @param signedUrl send {@code gs://} audio as a signed URL instead of uploading it
   * @param diarize ask for speaker labels; unset leaves Deepgram's default
   */
  public record Deepgram(
      @DefaultValue(DeepgramSettings.DEFAULT_BASE_URL) String baseUrl,
      @DefaultValue(DeepgramSettings.DEFAULT_MODEL) String model,
      @DefaultValue("") String apiKey,
      @DefaultValue("" + DeepgramSettings.DEFAULT_MAX_CONCURRENT_REQUESTS) int maxConcurrentRequests,
      @DefaultValue("" + DeepgramSettings.DEFAULT_CONNECT_TIMEOUT_SECONDS + "s") Duration connectTimeout,
      @DefaultValue("" + DeepgramSettings.DEFAULT_READ_TIMEOUT_MINUTES + "m") Duration readTimeout,
      @DefaultValue("true") boolean signedUrl,
      Boolean diarize) {
    @Override
    public String toString() {
      return "Deepgram[baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
          + (apiKey == null || apiKey.isBlank() ? "(not set)" : "(set)") + ", maxConcurrentRequests="
          + maxConcurrentRequests + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
          + ", signedUrl=" + signedUrl + ", diarize=" + diarize + "]";
    }
  }

  /**
   * @param cpuActivitySlots concurrent activities on one CPU worker
   * @param gpuActivitySlots concurrent transcriptions on one GPU worker; they share encoder batches on its one GPU
   * @param workflowSlots concurrent workflow tasks on one CPU worker
   * @param heartbeatTimeout heartbeat timeout of the long steps (download, extraction, transcription, highlights,
   *     render, QA): how long a step may go unheard before its attempt is retried elsewhere, so how soon a dead
   *     worker's work moves on; set on the CPU worker that runs the workflows
   * @param heartbeatInterval the longest a running step waits between the heartbeats it sends (the SDK's heartbeat
   *     throttle), so how soon a cancellation reaches it; on every worker
   */
  public record Workers(
      @DefaultValue("4") int cpuActivitySlots,
      @DefaultValue("4") int gpuActivitySlots,
      @DefaultValue("200") int workflowSlots,
      @DefaultValue("" + PipelineTimeouts.DEFAULT_HEARTBEAT_SECONDS + "s") Duration heartbeatTimeout,
      @DefaultValue("1s") Duration heartbeatInterval) {
    public Workers {
      if (heartbeatInterval.compareTo(heartbeatTimeout) >= 0) {
        throw new IllegalArgumentException(
            "videopipe.workers.heartbeat-interval (" + heartbeatInterval + ") must be shorter than"
                + " videopipe.workers.heartbeat-timeout (" + heartbeatTimeout + ")");
      }
    }
  }
}

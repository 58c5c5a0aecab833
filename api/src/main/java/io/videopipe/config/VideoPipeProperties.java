package io.videopipe.config;

import io.videopipe.pipeline.TaskQueues;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Every setting of the service, bound from {@code videopipe.*} (application.yml, environment, command line). */
@ConfigurationProperties("videopipe")
public record VideoPipeProperties(
    @DefaultValue Temporal temporal,
    @DefaultValue Queues queues,
    @DefaultValue Storage storage,
    @DefaultValue Download download,
    @DefaultValue Engines engines,
    @DefaultValue Workers workers,
    @DefaultValue GpuPool gpuPool) {

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
   * @param apiKey Temporal Cloud API key ({@code TEMPORAL_API_KEY}); implies TLS
   */
  public record Temporal(
      @DefaultValue("127.0.0.1:7233") String address,
      @DefaultValue("default") String namespace,
      @DefaultValue("7233") int devServerPort,
      @DefaultValue("false") boolean tls,
      @DefaultValue("") String tlsCertFile,
      @DefaultValue("") String tlsKeyFile,
      @DefaultValue("") String apiKey) {

    /** Never prints the API key. */
    @Override
    public String toString() {
      return "Temporal[address=" + address + ", namespace=" + namespace + ", tls=" + tls + ", tlsCertFile="
          + tlsCertFile + ", apiKey=" + (apiKey.isBlank() ? "(not set)" : "(set)") + "]";
    }
  }

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
   * @param stagingMaxAge how long a partial download may wait in the worker's staging directory for its retry; older
   *     parts and checkpoints no attempt is using are deleted at worker start and periodically
   */
  public record Download(
      @DefaultValue("21474836480") long maxBytes,
      @DefaultValue("false") boolean allowLocalFiles,
      @DefaultValue("false") boolean allowPlainHttp,
      @DefaultValue("10s") Duration connectTimeout,
      @DefaultValue("60s") Duration readTimeout,
      @DefaultValue List<String> allowedHosts,
      @DefaultValue List<String> localRoots,
      @DefaultValue List<String> allowedBuckets,
      @DefaultValue("24h") Duration stagingMaxAge) {}

  public record Engines(@DefaultValue Local local, @DefaultValue Parakeet parakeet, @DefaultValue Deepgram deepgram) {}

  /**
   * @param modelDir Vosk model directory; empty means the model bundled in the jar (extracted once to cacheDir)
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
   */
  public record Parakeet(
      @DefaultValue("") String modelDir,
      @DefaultValue("0") int deviceId,
      @DefaultValue("false") boolean int8,
      @DefaultValue("0") int intraOpThreads,
      @DefaultValue("20") double maxSegmentSec,
      @DefaultValue("8") int batchSize,
      @DefaultValue("15") long batchLingerMillis) {}

  /**
   * Deepgram on the CPU worker; the engine exists only when {@code apiKey} is set.
   *
   * @param apiKey bound from the environment ({@code DEEPGRAM_API_KEY}, see application.yml) on the worker; never job
   *     input, never printed by {@link #toString()}
   * @param maxConcurrentRequests requests in flight at once from one worker (Deepgram allows 100 per project)
   * @param signedUrl send {@code gs://} audio as a signed URL instead of uploading it
   * @param diarize ask for speaker labels; unset leaves Deepgram's default
   */
  public record Deepgram(
      @DefaultValue("https://api.deepgram.com") String baseUrl,
      @DefaultValue("nova-3") String model,
      @DefaultValue("") String apiKey,
      @DefaultValue("20") int maxConcurrentRequests,
      @DefaultValue("10s") Duration connectTimeout,
      @DefaultValue("5m") Duration readTimeout,
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
   */
  public record Workers(
      @DefaultValue("4") int cpuActivitySlots,
      @DefaultValue("4") int gpuActivitySlots,
      @DefaultValue("200") int workflowSlots) {}
}

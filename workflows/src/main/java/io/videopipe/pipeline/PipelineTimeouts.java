package io.videopipe.pipeline;

import java.time.Duration;

/**
 * Timeouts and retry bounds of the pipeline's activities. Worker configuration, not job input: changing them affects
 * only activities scheduled afterwards, so replay stays deterministic.
 *
 * @param download start-to-close of one Download attempt
 * @param extractAudio start-to-close of one ExtractAudio attempt
 * @param route start-to-close of GatherRouteFacts
 * @param transcribe start-to-close of one Transcribe attempt
 * @param highlights start-to-close of PickHighlights
 * @param render start-to-close of one RenderClip attempt
 * @param qa start-to-close of QualityCheck
 * @param cost start-to-close of ComputeCost
 * @param cleanup start-to-close of DeleteArtifacts
 * @param heartbeat heartbeat timeout of the long steps (Download, ExtractAudio, Transcribe, PickHighlights,
 *     RenderClip, QualityCheck): a dead worker's attempt is retried after this long. The workers send heartbeats at
 *     least every second (their throttle), so a cancellation arrives within a second or two whatever this is
 * @param gpuScheduleToStart how long a GPU transcription may wait for a GPU worker before the next engine is tried
 * @param initialRetryInterval first retry backoff; doubles up to {@code maxRetryInterval}
 * @param maxRetryInterval longest retry backoff
 * @param maxAttempts attempts per step (transient failures)
 * @param transcribeMaxAttempts attempts per transcription engine before falling back to the next one
 */
public record PipelineTimeouts(
    Duration download,
    Duration extractAudio,
    Duration route,
    Duration transcribe,
    Duration highlights,
    Duration render,
    Duration qa,
    Duration cost,
    Duration cleanup,
    Duration heartbeat,
    Duration gpuScheduleToStart,
    Duration initialRetryInterval,
    Duration maxRetryInterval,
    int maxAttempts,
    int transcribeMaxAttempts) {

  /**
   * The default heartbeat timeout. 4 s lost clips on a loaded 2-core worker (a render stalled past it and every attempt
   * timed out; docs/performance.md, the grid); 15 s rode out those stalls while a dead worker is still noticed quickly.
   */
  public static final long DEFAULT_HEARTBEAT_SECONDS = 15;

  public PipelineTimeouts {
    for (Duration d :
        new Duration[] {
          download, extractAudio, route, transcribe, highlights, render, qa, cost, cleanup, heartbeat, gpuScheduleToStart,
          initialRetryInterval, maxRetryInterval
        }) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("every pipeline timeout must be positive");
      }
    }
    if (maxAttempts < 1 || transcribeMaxAttempts < 1) {
      throw new IllegalArgumentException("attempt bounds must be >= 1");
    }
  }

  /** Sized for a 45-minute video on a small CPU worker; start-to-close only bounds a hung attempt. */
  public static PipelineTimeouts defaults() {
    return new PipelineTimeouts(
        Duration.ofHours(2),
        Duration.ofHours(1),
        Duration.ofMinutes(1),
        Duration.ofHours(4),
        Duration.ofMinutes(30),
        Duration.ofMinutes(30),
        Duration.ofMinutes(30),
        Duration.ofMinutes(5),
        Duration.ofMinutes(5),
        Duration.ofSeconds(DEFAULT_HEARTBEAT_SECONDS),
        Duration.ofMinutes(2),
        Duration.ofSeconds(1),
        Duration.ofMinutes(1),
        5,
        3);
  }

  public PipelineTimeouts withGpuScheduleToStart(Duration d) {
    return new PipelineTimeouts(
        download, extractAudio, route, transcribe, highlights, render, qa, cost, cleanup, heartbeat, d, initialRetryInterval,
        maxRetryInterval, maxAttempts, transcribeMaxAttempts);
  }

  public PipelineTimeouts withHeartbeat(Duration d) {
    return new PipelineTimeouts(
        download, extractAudio, route, transcribe, highlights, render, qa, cost, cleanup, d, gpuScheduleToStart,
        initialRetryInterval, maxRetryInterval, maxAttempts, transcribeMaxAttempts);
  }
}

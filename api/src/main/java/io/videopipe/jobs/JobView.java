package io.videopipe.jobs;

import io.videopipe.pipeline.ErrorInfo;
import io.videopipe.pipeline.JobResult;
import io.videopipe.pipeline.JobStatus;

/**
 * What {@code GET /api/v1/jobs/{id}} answers: where the job is and, once it ended, its result.
 *
 * @param step the step running now (or the last one, once ended)
 * @param percent overall percent complete
 * @param costUsd the cost so far while running (every step attempt priced with the configured prices), the ledger's
 *     total once ended; null when the job ended before it was priced
 * @param result the result (partial for failed and cancelled jobs) once the pipeline has ended, null while it runs (a
 *     job whose pipeline has ended answers it while its execution is still open, delivering its webhook)
 * @param startedAt when the execution started
 * @param closedAt when the execution closed; null while open
 * @param webhook how the job's webhook went (attempts, last HTTP status, delivered at, or why not); null without one
 * @param links {@code temporalUi}: the job's page in the Temporal Web UI, where there is one; once ended, the download
 *     link of every clip file by its name: {@code clip-01.mp4}, {@code clip-01.srt}, {@code clip-01.vtt}, and each
 *     further frame's ({@code clip-01-9x16.mp4}, the {@code fileName} of {@code result.clips[].formats[]})
 */
public record JobView(
    String jobId,
    JobStatus status,
    String step,
    int percent,
    String engine,
    int priority,
    String detail,
    Double costUsd,
    JobResult result,
    ErrorInfo error,
    java.time.Instant startedAt,
    java.time.Instant closedAt,
    io.videopipe.notify.WebhookDelivery webhook,
    java.util.Map<String, String> links) {

  /**
   * Whether the job is still open (queued or running), so it may be cancelled or reprioritised; false once its
   * pipeline has ended (completed, needs review, failed or cancelled), even while its execution still delivers the
   * webhook.
   */
  public boolean open() {
    return status == JobStatus.RUNNING;
  }
}

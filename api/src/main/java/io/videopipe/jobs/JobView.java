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
 * @param result the result (partial for failed and cancelled jobs), null while running
 * @param links {@code temporalUi}: the job's page in the Temporal Web UI, where there is one
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
    java.util.Map<String, String> links) {}

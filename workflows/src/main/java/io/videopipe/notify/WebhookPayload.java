package io.videopipe.notify;

import io.videopipe.pipeline.ErrorInfo;
import io.videopipe.pipeline.JobResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a webhook receives when a job ends: outcome, counts and artifact URIs; never transcript text or secrets.
 *
 * @param event {@code "job.completed"}, {@code "job.needs_review"}, {@code "job.failed"} or {@code "job.cancelled"}
 * @param artifacts export name to storage URI
 */
public record WebhookPayload(
    String event,
    String jobId,
    String status,
    String engine,
    String sourceUri,
    int words,
    int highlights,
    int clips,
    Map<String, String> artifacts,
    Double costUsd,
    ErrorInfo error) {

  public static WebhookPayload of(JobResult r) {
    Map<String, String> artifacts = r.artifacts() == null ? Map.of() : new LinkedHashMap<>(r.artifacts());
    String status = r.status() == null ? "UNKNOWN" : r.status().name();
    return new WebhookPayload(
        "job." + status.toLowerCase(java.util.Locale.ROOT),
        r.jobId(),
        status,
        r.transcription() == null ? null : r.transcription().engine(),
        r.source() == null ? null : r.source().uri(),
        r.transcription() == null ? 0 : r.transcription().words(),
        r.highlights() == null ? 0 : r.highlights().size(),
        r.clips() == null ? 0 : r.clips().size(),
        artifacts,
        r.cost() == null ? null : r.cost().totalUsd(),
        r.error());
  }
}

package io.videopipe.jobs;

import io.videopipe.pipeline.JobStatus;
import java.time.Instant;

/**
 * One job in {@code GET /api/v1/jobs}, from its Temporal execution and search attributes.
 *
 * @param step last step reported (VpStep)
 * @param engine engine whose transcript was kept (VpEngine), null before routing
 * @param costUsd cost so far (VpCostUsd)
 * @param closedAt null while running
 * @param tenant the tenant that owns the job (VpTenant), null for jobs from before tenants
 * @param source the source URL it was submitted with (memo), null when unreadable (an encrypted memo)
 */
public record JobSummary(
    String jobId,
    JobStatus status,
    String step,
    String engine,
    Long priority,
    Double costUsd,
    Instant startedAt,
    Instant closedAt,
    String tenant,
    String source) {}

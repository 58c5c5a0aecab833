package io.videopipe.jobs;

import java.util.List;

/**
 * What {@code GET /api/v1/jobs} answers.
 *
 * @param nextPageToken pass it back for the next page; absent on the last one
 * @param query the Temporal visibility query the filters made (also usable in the Temporal Web UI)
 * @param degraded true when the server has no visibility queries (the embedded one): {@code jobs} then holds only
 *     the recent jobs this API process started, filtered here, without paging
 * @param reason why the listing is degraded
 */
public record JobPage(List<JobSummary> jobs, String nextPageToken, String query, Boolean degraded, String reason) {}

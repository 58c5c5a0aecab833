package io.videopipe.bulk;

/**
 * Body of {@code POST /api/v1/schedules}: an id, either a {@code cron} expression or an {@code interval} (ISO-8601
 * duration such as {@code PT6H}), and the bulk reprocessing to run each time.
 */
public record ScheduleRequest(String id, String cron, String interval, ReprocessSpec reprocess) {}

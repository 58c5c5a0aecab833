package io.videopipe.jobs;

import com.google.protobuf.ByteString;
import io.videopipe.pipeline.JobStatus;
import io.videopipe.pipeline.VideoPipelineWorkflow;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The filters of {@code GET /api/v1/jobs}, checked, and the Temporal visibility query they make.
 *
 * @param status only jobs in this state (search attribute VpStatus), or null for all
 * @param engine only jobs whose transcript came from this engine (search attribute VpEngine), or null for all
 * @param from only jobs started at or after this instant, or null
 * @param to only jobs started before this instant, or null
 * @param pageSize jobs per page, 1..100
 * @param pageToken where the previous page ended, empty for the first page
 * @param tenant only this tenant's jobs (search attribute VpTenant), or null for all (admin keys)
 */
public record JobFilter(
    JobStatus status, String engine, Instant from, Instant to, int pageSize, ByteString pageToken, String tenant) {
  public static final int DEFAULT_PAGE_SIZE = 20;
  public static final int MAX_PAGE_SIZE = 100;
  private static final Pattern ENGINE = Pattern.compile("[a-z0-9][a-z0-9+_-]{0,39}");

  /** Parses the query parameters; an invalid one is an {@link IllegalArgumentException} naming it. */
  public static JobFilter of(
      String status, String engine, String from, String to, Integer pageSize, String nextPageToken) {
    JobStatus s = null;
    if (status != null && !status.isBlank()) {
      try {
        s = JobStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown status '" + status + "'; use RUNNING, COMPLETED, NEEDS_REVIEW, FAILED or CANCELLED");
      }
    }
    String e = null;
    if (engine != null && !engine.isBlank()) {
      e = engine.trim().toLowerCase(Locale.ROOT);
      if (!ENGINE.matcher(e).matches()) {
        throw new IllegalArgumentException(
            "engine filter '"
                + engine
                + "' is not an engine name such as local, parakeet, deepgram or parakeet+deepgram");
      }
    }
    Instant f = instant("from", from);
    Instant t = instant("to", to);
    if (f != null && t != null && !f.isBefore(t)) {
      throw new IllegalArgumentException("from (" + f + ") must be before to (" + t + ")");
    }
    int size = pageSize == null ? DEFAULT_PAGE_SIZE : pageSize;
    if (size < 1 || size > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("pageSize must be 1 to " + MAX_PAGE_SIZE + ", was " + size);
    }
    ByteString token = ByteString.EMPTY;
    if (nextPageToken != null && !nextPageToken.isBlank()) {
      try {
        token = ByteString.copyFrom(Base64.getUrlDecoder().decode(nextPageToken.trim()));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("nextPageToken is not one this API handed out; start again without it");
      }
    }
    return new JobFilter(s, e, f, t, size, token, null);
  }

  /** The same filter restricted to one tenant's jobs; null for all. */
  public JobFilter withTenant(String t) {
    if (t != null && !io.videopipe.security.Caller.NAME.matcher(t).matches()) {
      throw new IllegalArgumentException("tenant '" + t + "' is not a tenant name");
    }
    return new JobFilter(status, engine, from, to, pageSize, pageToken, t);
  }

  private static Instant instant(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      return v.length() == 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + " '" + value + "' is neither an instant like 2026-11-23T08:00:00Z nor a date like 2026-11-23");
    }
  }

  /** The visibility query: every value was checked above, so none can break out of its quotes. */
  public String visibilityQuery() {
    StringBuilder q = new StringBuilder("WorkflowType = '").append(VideoPipelineWorkflow.TYPE).append('\'');
    if (status != null) {
      q.append(" AND VpStatus = '").append(status.name()).append('\'');
    }
    if (engine != null) {
      q.append(" AND VpEngine = '").append(engine).append('\'');
    }
    if (tenant != null) {
      q.append(" AND VpTenant = '").append(tenant).append('\'');
    }
    if (from != null) {
      q.append(" AND StartTime >= '").append(from).append('\'');
    }
    if (to != null) {
      q.append(" AND StartTime < '").append(to).append('\'');
    }
    return q.toString();
  }

  /** Whether a job passes these filters: the embedded server's listing filters here, not in Temporal. */
  boolean matches(JobSummary job) {
    return ownedByTenant(job)
        && (status == null || status == job.status())
        && (engine == null || engine.equals(job.engine()))
        && (from == null || (job.startedAt() != null && !job.startedAt().isBefore(from)))
        && (to == null || (job.startedAt() != null && job.startedAt().isBefore(to)));
  }

  /** Checked on every row, also those the server filtered: a server that ignored the clause leaks nothing. */
  boolean ownedByTenant(JobSummary job) {
    return tenant == null || tenant.equals(io.videopipe.security.Caller.owner(job.tenant()));
  }
}

package io.videopipe.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;

/**
 * One JSON line per mutating call (POST, PUT, PATCH, DELETE) on logger {@value #LOGGER}, accepted or refused: time,
 * key name, tenant, client address, method, path, job id (or bulk run, schedule, key), status. Never the key, nor any
 * header or body.
 */
final class AuditLog {
  static final String LOGGER = "videopipe.audit";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final Pattern JOB = Pattern.compile("/api/v1/jobs/([^/]+)(?:/.*)?");
  private static final Pattern RESOURCE = Pattern.compile("/api/v1/(reprocess|schedules|keys)/([^/]+)(?:/.*)?");

  private final Clock clock;

  AuditLog(Clock clock) {
    this.clock = clock;
  }

  static boolean mutating(HttpServletRequest request) {
    return MUTATING.contains(request.getMethod().toUpperCase(Locale.ROOT));
  }

  /** Logs the call once it has been answered; {@code caller} is null when the key was missing or refused. */
  void record(HttpServletRequest request, HttpServletResponse response, String path, Caller caller) {
    if (!mutating(request) || !log.isInfoEnabled()) {
      return;
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", clock.instant().toString());
    line.put("key", caller == null ? null : caller.keyName());
    line.put("tenant", caller == null ? null : caller.tenant());
    line.put("ip", request.getRemoteAddr());
    line.put("method", request.getMethod());
    line.put("path", path);
    // The id of what was acted on: from the path, or for a create from the Location of the answer.
    String location = response.getHeader(HttpHeaders.LOCATION);
    String target = path;
    if (location != null && (path.equals("/api/v1/jobs") || path.equals("/api/v1/reprocess")
        || path.equals("/api/v1/schedules") || path.equals("/api/v1/keys"))) {
      target = location.replaceFirst("^[a-z]+://[^/]+", "");
    }
    Matcher job = JOB.matcher(target);
    Matcher other = RESOURCE.matcher(target);
    if (job.matches()) {
      line.put("jobId", job.group(1));
    } else if (other.matches()) {
      line.put(switch (other.group(1)) {
        case "reprocess" -> "bulkId";
        case "schedules" -> "scheduleId";
        default -> "keyName";
      }, other.group(2));
    }
    line.put("status", response.getStatus());
    try {
      log.info(JSON.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      log.warn("audit line could not be written: {}", e.toString());
    }
  }
}

package io.videopipe.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The REST API as a client sees it, with the bootstrap API key on every call. */
public final class JobsClient {
  static final Set<String> TERMINAL = Set.of("COMPLETED", "NEEDS_REVIEW", "FAILED", "CANCELLED");
  static final ObjectMapper JSON = new ObjectMapper();

  public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final String base;

  public JobsClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .header("X-API-Key", RoleProcess.apiKey());
  }

  /** POSTs a job; answers the HTTP status and body. */
  public HttpResponse<String> submit(String jobId, String source, String engine) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode().put("sourceUrl", source).put("jobId", jobId);
    if (engine != null) {
      body.put("engine", engine);
    }
    return http.send(
        request("/api/v1/jobs").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The job view, or null when the API did not answer 200 (it may be restarting or busy). */
  public JsonNode job(String jobId) throws InterruptedException {
    try {
      HttpResponse<String> r = http.send(request("/api/v1/jobs/" + jobId).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Polls until every job is terminal or the deadline passes; answers the last view of each. */
  public Map<String, JsonNode> awaitTerminal(Collection<String> jobIds, Duration timeout) throws InterruptedException {
    Map<String, JsonNode> last = new LinkedHashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (String id : jobIds) {
        JsonNode prev = last.get(id);
        if (prev != null && TERMINAL.contains(prev.path("status").asText())) {
          continue;
        }
        JsonNode j = job(id);
        if (j != null) {
          last.put(id, j);
        }
        all &= j != null && TERMINAL.contains(j.path("status").asText());
      }
      if (all) {
        return last;
      }
      Thread.sleep(500);
    }
    return last;
  }

  public static String status(JsonNode job) {
    return job == null ? "UNKNOWN" : job.path("status").asText();
  }
}

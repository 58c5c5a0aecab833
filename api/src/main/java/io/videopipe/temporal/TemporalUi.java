package io.videopipe.temporal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the Temporal Web UI shows a job: the local role's CLI server, or {@code videopipe.temporal.ui-url} for the
 * api role. Empty base: there is no UI (the in-memory server), and jobs carry no UI link.
 */
public record TemporalUi(String baseUrl, String namespace) {

  public boolean present() {
    return baseUrl != null && !baseUrl.isBlank();
  }

  /** e.g. {@code http://127.0.0.1:8233/namespaces/default/workflows/job-1}; null without a UI. */
  public String workflowUrl(String workflowId) {
    if (!present()) {
      return null;
    }
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return base + "/namespaces/" + encode(namespace) + "/workflows/" + encode(workflowId);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

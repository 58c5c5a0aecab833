package io.videopipe.notify;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Webhook delivery settings, built from {@code videopipe.webhooks.*} (their defaults are there).
 *
 * @param secret HMAC-SHA256 key (VIDEOPIPE_WEBHOOK_SECRET); blank sends unsigned requests
 * @param allowedHosts host names, addresses and CIDR ranges the SSRF guard lets through (e.g. an internal receiver)
 * @param allowPlainHttp accept http:// webhook URLs, not only https://
 * @param connectTimeout TCP connect timeout of a delivery
 * @param readTimeout longest wait for the receiver's answer
 */
public record WebhookSettings(
    String secret, List<String> allowedHosts, boolean allowPlainHttp, Duration connectTimeout, Duration readTimeout) {

  public WebhookSettings {
    secret = secret == null ? "" : secret;
    allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "WebhookSettings[signed=" + !secret.isBlank() + ", allowedHosts=" + allowedHosts + ", allowPlainHttp="
        + allowPlainHttp + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
  }
}

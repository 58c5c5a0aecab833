package io.videopipe.notify;

import java.time.Duration;
import java.util.List;

/**
 * Webhook delivery settings.
 *
 * @param secret HMAC-SHA256 key (VIDEOPIPE_WEBHOOK_SECRET); blank sends unsigned requests
 * @param allowedHosts host names, addresses and CIDR ranges the SSRF guard lets through (e.g. an internal receiver)
 * @param allowPlainHttp accept http:// webhook URLs, not only https://
 */
public record WebhookSettings(
    String secret, List<String> allowedHosts, boolean allowPlainHttp, Duration connectTimeout, Duration readTimeout) {

  public WebhookSettings {
    secret = secret == null ? "" : secret;
    allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    readTimeout = readTimeout == null ? Duration.ofSeconds(10) : readTimeout;
  }

  public static WebhookSettings of(String secret) {
    return new WebhookSettings(secret, List.of(), false, null, null);
  }

  public WebhookSettings withAllowedHosts(List<String> hosts) {
    return new WebhookSettings(secret, hosts, allowPlainHttp, connectTimeout, readTimeout);
  }

  public WebhookSettings withAllowPlainHttp(boolean allow) {
    return new WebhookSettings(secret, allowedHosts, allow, connectTimeout, readTimeout);
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "WebhookSettings[signed=" + !secret.isBlank() + ", allowedHosts=" + allowedHosts + ", allowPlainHttp="
        + allowPlainHttp + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
  }
}

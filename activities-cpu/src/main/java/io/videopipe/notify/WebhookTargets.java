package io.videopipe.notify;

import io.videopipe.net.AddressGuard;
import io.videopipe.net.AddressRefusedException;
import okhttp3.HttpUrl;

/**
 * The rules a webhook URL must pass: an http(s) URL, https unless plain http is allowed, a host the SSRF guard lets
 * through. Applied at submit and again before each delivery, where the connected peer is checked once more.
 */
public final class WebhookTargets {
  private final WebhookSettings settings;
  private final AddressGuard guard;

  WebhookTargets(WebhookSettings settings, AddressGuard guard) {
    this.settings = settings;
    this.guard = guard;
  }

  public static WebhookTargets of(WebhookSettings settings) {
    return new WebhookTargets(
        settings, new AddressGuard(settings.allowedHosts(), "webhook", WebhookActivitiesImpl.ALLOWED_HOSTS_SETTING));
  }

  /**
   * @return the parsed URL
   * @throws IllegalArgumentException naming the reason (and the setting to change, where one exists)
   */
  public HttpUrl admit(String url) {
    HttpUrl target = HttpUrl.parse(url == null ? "" : url);
    if (target == null) {
      throw new IllegalArgumentException("webhook URL is not an http(s) URL");
    }
    if (!target.isHttps() && !settings.allowPlainHttp()) {
      throw new IllegalArgumentException(
          "webhook URL must use https (set videopipe.webhooks.allow-plain-http to allow http)");
    }
    try {
      guard.checkHost(target.host());
    } catch (AddressRefusedException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    return target;
  }
}

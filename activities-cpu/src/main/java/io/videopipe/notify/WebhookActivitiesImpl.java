package io.videopipe.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.net.AddressGuard;
import io.videopipe.net.GuardedHttpClient;
import io.videopipe.net.AddressRefusedException;
import io.videopipe.pipeline.ErrorTypes;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs the job summary to the webhook URL. The URL's host goes through the {@link AddressGuard}: the name resolves only
 * to checked addresses and the connected peer is checked again, so DNS rebinding cannot reach internal services.
 * Redirects are not followed.
 */
public class WebhookActivitiesImpl implements WebhookActivities {
  private static final Logger log = LoggerFactory.getLogger(WebhookActivitiesImpl.class);
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final WebhookSettings settings;
  private final AddressGuard guard;
  private final OkHttpClient client;
  private final WebhookSigner signer;
  private final Clock clock;

  public WebhookActivitiesImpl(WebhookSettings settings) {
    this(settings, new AddressGuard(settings.allowedHosts(), "webhook", "videopipe.webhooks.allowed-hosts"),
        Clock.systemUTC());
  }

  private final AtomicBoolean warnedUnsigned = new AtomicBoolean();

  public WebhookActivitiesImpl(WebhookSettings settings, AddressGuard guard, Clock clock) {
    this.settings = settings;
    this.guard = guard;
    this.clock = clock;
    this.signer = settings.secret().isBlank() ? null : new WebhookSigner(settings.secret());
    this.client =
        GuardedHttpClient.builder(guard)
            .connectTimeout(settings.connectTimeout())
            .readTimeout(settings.readTimeout())
            .callTimeout(settings.connectTimeout().plus(settings.readTimeout()).multipliedBy(2))
            .build();
  }

  @Override
  public void notifyWebhook(String url, WebhookPayload payload) {
    HttpUrl target = HttpUrl.parse(url == null ? "" : url);
    if (target == null) {
      throw rejected("webhook URL is not an http(s) URL");
    }
    if (!target.isHttps() && !settings.allowPlainHttp()) {
      throw rejected("webhook URL must use https (set videopipe.webhooks.allow-plain-http to allow http)");
    }
    try {
      guard.checkHost(target.host());
    } catch (AddressRefusedException e) {
      throw rejected(e.getMessage());
    }
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(payload);
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause("cannot encode the webhook body", REJECTED_TYPE, e);
    }
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    Request.Builder request =
        new Request.Builder()
            .url(target)
            .header("User-Agent", "videopipe-webhook/1")
            .header(WebhookSigner.TIMESTAMP_HEADER, timestamp)
            .post(RequestBody.create(body, JSON_TYPE));
    if (signer != null) {
      request.header(WebhookSigner.SIGNATURE_HEADER, signer.sign(timestamp, body));
    } else if (warnedUnsigned.compareAndSet(false, true)) {
      // said once, when it matters: most local runs send no webhook at all
      log.warn("webhooks are sent unsigned: VIDEOPIPE_WEBHOOK_SECRET is not set");
    }
    // Only scheme, host and path in messages: a query string may carry the receiver's token.
    String where = target.scheme() + "://" + target.host() + ":" + target.port() + target.encodedPath();
    try (Response response = client.newCall(request.build()).execute()) {
      int code = response.code();
      if (code >= 200 && code < 300) {
        log.info("job {}: webhook {} delivered to {} ({})", payload.jobId(), payload.event(), where, code);
        return;
      }
      String message = "webhook " + where + " answered HTTP " + code;
      if (code == 408 || code == 429 || code >= 500) {
        throw ApplicationFailure.newFailure(message, ErrorTypes.TRANSIENT);
      }
      throw rejected(message + (code >= 300 && code < 400 ? " (redirects are not followed)" : ""));
    } catch (AddressRefusedException e) {
      throw rejected(e.getMessage());
    } catch (IOException e) {
      if (e.getCause() instanceof AddressRefusedException refused) {
        throw rejected(refused.getMessage());
      }
      throw ApplicationFailure.newFailure("webhook " + where + " unreachable: " + e, ErrorTypes.TRANSIENT);
    }
  }

  private static ApplicationFailure rejected(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, REJECTED_TYPE);
  }
}

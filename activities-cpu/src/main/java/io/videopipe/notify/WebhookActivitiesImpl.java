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
  static final String ALLOWED_HOSTS_SETTING = "videopipe.webhooks.allowed-hosts";
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final WebhookSettings settings;
  private final AddressGuard guard;
  private final WebhookTargets targets;
  private final OkHttpClient client;
  private final WebhookSigner signer;
  private final Clock clock;

  private final AtomicBoolean warnedUnsigned = new AtomicBoolean();

  /** @param clock the time each delivery is signed with (the receiver checks it against replays) */
  public WebhookActivitiesImpl(WebhookSettings settings, Clock clock) {
    this.settings = settings;
    this.guard = new AddressGuard(settings.allowedHosts(), "webhook", ALLOWED_HOSTS_SETTING);
    this.targets = new WebhookTargets(settings, guard);
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
  public WebhookReceipt notifyWebhook(String url, WebhookPayload payload) {
    return deliver(url, payload, io.temporal.activity.Activity.getExecutionContext().getInfo().getAttempt());
  }

  /** One delivery attempt; {@code attempt} goes into the receipt the job records. */
  WebhookReceipt deliver(String url, WebhookPayload payload, int attempt) {
    HttpUrl target;
    try {
      target = targets.admit(url);
    } catch (IllegalArgumentException e) {
      throw rejected(e.getMessage(), 0, attempt);
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
        return new WebhookReceipt(code, attempt);
      }
      String message = "webhook " + where + " answered HTTP " + code;
      if (code == 408 || code == 429 || code >= 500) {
        throw ApplicationFailure.newFailure(message, ErrorTypes.TRANSIENT, new WebhookReceipt(code, attempt));
      }
      throw rejected(message + (code >= 300 && code < 400 ? " (redirects are not followed)" : ""), code, attempt);
    } catch (AddressRefusedException e) {
      throw rejected(e.getMessage(), 0, attempt);
    } catch (IOException e) {
      if (e.getCause() instanceof AddressRefusedException refused) {
        throw rejected(refused.getMessage(), 0, attempt);
      }
      throw ApplicationFailure.newFailure(
          "webhook " + where + " unreachable: " + e, ErrorTypes.TRANSIENT, new WebhookReceipt(0, attempt));
    }
  }

  private static ApplicationFailure rejected(String message, int httpStatus, int attempt) {
    return ApplicationFailure.newNonRetryableFailure(message, REJECTED_TYPE, new WebhookReceipt(httpStatus, attempt));
  }
}

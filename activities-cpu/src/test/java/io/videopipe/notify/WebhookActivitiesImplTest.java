package io.videopipe.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.pipeline.ErrorInfo;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookActivitiesImplTest {
  static final String SECRET = "whsec-test-1234";

  private MockWebServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stopServer() throws Exception {
    server.shutdown();
  }

  /** The receiver on 127.0.0.1 is let through by the allow-list, as an operator would for an internal receiver. */
  static WebhookActivitiesImpl allowingLocalhost(String secret) {
    return new WebhookActivitiesImpl(
        WebhookSettings.of(secret).withAllowPlainHttp(true).withAllowedHosts(List.of("localhost", "127.0.0.1")),
        Clock.systemUTC());
  }

  static String hmac(String secret, String message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
  }

  private static WebhookPayload payload() {
    return new WebhookPayload("job.failed", "job-1", "FAILED", "local", "https://example.com/a.mp4", 0, 0, 0,
        Map.of("qa.json", "file:///store/jobs/job-1/qa/qa.json"), 0.01, new ErrorInfo("NotFound", "source gone"));
  }

  @Test
  void postsTheSummarySignedWithTheSecret() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(204));
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);
    WebhookActivitiesImpl impl =
        new WebhookActivitiesImpl(
            WebhookSettings.of(SECRET).withAllowPlainHttp(true).withAllowedHosts(List.of("127.0.0.1", "localhost")),
            clock);

    WebhookReceipt receipt = impl.deliver(server.url("/hooks/vp?token=abc").toString(), payload(), 1);
    assertThat(receipt).isEqualTo(new WebhookReceipt(204, 1));

    RecordedRequest req = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(req.getMethod()).isEqualTo("POST");
    assertThat(req.getPath()).isEqualTo("/hooks/vp?token=abc");
    String body = req.getBody().readUtf8();
    String ts = req.getHeader("X-Videopipe-Timestamp");
    assertThat(ts).isEqualTo("1800000000");
    assertThat(req.getHeader("X-Videopipe-Signature")).isEqualTo(hmac(SECRET, ts + "." + body));
    assertThat(req.getHeader("X-Videopipe-Signature")).isNotEqualTo(hmac("other-secret", ts + "." + body));
    assertThat(req.getHeader("Content-Type")).startsWith("application/json");
    JsonNode json = new ObjectMapper().readTree(body);
    assertThat(json.get("jobId").asText()).isEqualTo("job-1");
    assertThat(json.get("status").asText()).isEqualTo("FAILED");
    assertThat(json.get("error").get("type").asText()).isEqualTo("NotFound");
    assertThat(json.get("artifacts").get("qa.json").asText()).endsWith("qa.json");
    assertThat(body).doesNotContain(SECRET);
  }

  @Test
  void serverErrorsAndThrottlingAreRetryableButOther4xxAreNot() {
    WebhookActivitiesImpl impl = allowingLocalhost(SECRET);
    // 408 is left out: OkHttp itself repeats a request answered 408 once.
    for (int code : new int[] {500, 503, 429}) {
      server.enqueue(new MockResponse().setResponseCode(code));
      assertThatThrownBy(() -> impl.deliver(server.url("/h").toString(), payload(), 2))
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
            assertThat(f.isNonRetryable()).as("HTTP %d", code).isFalse();
            assertThat(f.getOriginalMessage()).contains("HTTP " + code);
            assertThat(f.getDetails().get(WebhookReceipt.class)).isEqualTo(new WebhookReceipt(code, 2));
          });
    }
    for (int code : new int[] {400, 404, 410, 302}) {
      server.enqueue(new MockResponse().setResponseCode(code).setHeader("Location", "http://169.254.169.254/"));
      assertThatThrownBy(() -> impl.deliver(server.url("/h").toString(), payload(), 2))
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
            assertThat(f.isNonRetryable()).as("HTTP %d", code).isTrue();
            assertThat(f.getType()).isEqualTo(WebhookActivities.REJECTED_TYPE);
          });
    }
    assertThat(server.getRequestCount()).isEqualTo(7);
  }

  @Test
  void privateAndMetadataAddressesAreRefusedWithoutAConnection() {
    WebhookActivitiesImpl impl =
        new WebhookActivitiesImpl(WebhookSettings.of(SECRET).withAllowPlainHttp(true), Clock.systemUTC());
    for (String url :
        List.of(
            server.url("/h").toString(),
            "http://10.0.0.5/h",
            "http://169.254.169.254/latest/meta-data",
            "http://metadata.google.internal/",
            "http://2130706433/")) {
      assertThatThrownBy(() -> impl.deliver(url, payload(), 1))
          .as(url)
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
            assertThat(f.isNonRetryable()).isTrue();
            assertThat(f.getType()).isEqualTo(WebhookActivities.REJECTED_TYPE);
          });
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void plainHttpIsRefusedUnlessAllowed() {
    WebhookActivitiesImpl impl = new WebhookActivitiesImpl(WebhookSettings.of(SECRET), Clock.systemUTC());
    assertThatThrownBy(() -> impl.deliver("http://example.com/h", payload(), 1))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("https");
  }

  @Test
  void secretNeverAppearsInSettingsText() {
    assertThat(WebhookSettings.of(SECRET).toString()).doesNotContain(SECRET).contains("signed=true");
  }
}

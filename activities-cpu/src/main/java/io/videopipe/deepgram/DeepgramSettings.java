package io.videopipe.deepgram;

import java.time.Duration;

/**
 * How the worker talks to Deepgram's pre-recorded API.
 *
 * @param baseUrl {@code https://api.deepgram.com}, or a self-hosted Deepgram, or a test server
 * @param apiKey sent as {@code Authorization: Token <key>}; read from the worker's environment, never from job input
 * @param model e.g. {@code nova-3}
 * @param diarize ask for speaker labels; null leaves the parameter out
 * @param maxConcurrentRequests requests in flight at once from this worker (Deepgram allows 100 per project)
 * @param connectTimeout TCP connect timeout
 * @param readTimeout longest silence while uploading or waiting for the answer
 * @param attempts requests per transcription for 429, 5xx and timeouts before the activity fails (and Temporal retries
 *     it later)
 * @param initialBackoff first wait between those requests; doubles, with jitter, up to {@code maxBackoff}
 * @param maxBackoff longest wait held inside one activity attempt; a longer Retry-After is handed to Temporal as the
 *     next retry delay instead
 * @param signedUrlTtl lifetime of the signed URL sent for {@code gs://} audio
 */
public record DeepgramSettings(
    String baseUrl,
    String apiKey,
    String model,
    Boolean diarize,
    int maxConcurrentRequests,
    Duration connectTimeout,
    Duration readTimeout,
    int attempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration signedUrlTtl) {

  public static final String DEFAULT_BASE_URL = "https://api.deepgram.com";
  public static final String DEFAULT_MODEL = "nova-3";
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 20;
  public static final long DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
  public static final long DEFAULT_READ_TIMEOUT_MINUTES = 5;

  public DeepgramSettings {
    baseUrl = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl.trim();
    apiKey = apiKey == null ? "" : apiKey.trim();
    model = model == null || model.isBlank() ? DEFAULT_MODEL : model.trim();
    if (maxConcurrentRequests < 1) {
      throw new IllegalArgumentException("maxConcurrentRequests must be >= 1, was " + maxConcurrentRequests);
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, was " + attempts);
    }
    for (Duration d : new Duration[] {connectTimeout, readTimeout, initialBackoff, maxBackoff, signedUrlTtl}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("every Deepgram timeout and backoff must be positive");
      }
    }
  }

  /** nova-3, 20 concurrent requests, 10 s connect, 5 min read, 4 requests with 1..30 s backoff, 1 h signed URLs. */
  public static DeepgramSettings defaults(String baseUrl, String apiKey) {
    return new DeepgramSettings(
        baseUrl,
        apiKey,
        DEFAULT_MODEL,
        null,
        DEFAULT_MAX_CONCURRENT_REQUESTS,
        Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS),
        Duration.ofMinutes(DEFAULT_READ_TIMEOUT_MINUTES),
        4,
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        Duration.ofHours(1));
  }

  public boolean hasKey() {
    return !apiKey.isEmpty();
  }

  public DeepgramSettings withModel(String m) {
    return new DeepgramSettings(baseUrl, apiKey, m, diarize, maxConcurrentRequests, connectTimeout, readTimeout,
        attempts, initialBackoff, maxBackoff, signedUrlTtl);
  }

  public DeepgramSettings withDiarize(Boolean d) {
    return new DeepgramSettings(baseUrl, apiKey, model, d, maxConcurrentRequests, connectTimeout, readTimeout,
        attempts, initialBackoff, maxBackoff, signedUrlTtl);
  }

  public DeepgramSettings withMaxConcurrentRequests(int n) {
    return new DeepgramSettings(baseUrl, apiKey, model, diarize, n, connectTimeout, readTimeout, attempts,
        initialBackoff, maxBackoff, signedUrlTtl);
  }

  public DeepgramSettings withTimeouts(Duration connect, Duration read) {
    return new DeepgramSettings(baseUrl, apiKey, model, diarize, maxConcurrentRequests, connect, read, attempts,
        initialBackoff, maxBackoff, signedUrlTtl);
  }

  public DeepgramSettings withRetries(int n, Duration initial, Duration max) {
    return new DeepgramSettings(baseUrl, apiKey, model, diarize, maxConcurrentRequests, connectTimeout, readTimeout,
        n, initial, max, signedUrlTtl);
  }

  public DeepgramSettings withSignedUrlTtl(Duration ttl) {
    return new DeepgramSettings(baseUrl, apiKey, model, diarize, maxConcurrentRequests, connectTimeout, readTimeout,
        attempts, initialBackoff, maxBackoff, ttl);
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "DeepgramSettings[baseUrl=" + baseUrl + ", apiKey=" + (hasKey() ? "(set)" : "(not set)") + ", model="
        + model + ", diarize=" + diarize + ", maxConcurrentRequests=" + maxConcurrentRequests + ", connectTimeout="
        + connectTimeout + ", readTimeout=" + readTimeout + ", attempts=" + attempts + ", initialBackoff="
        + initialBackoff + ", maxBackoff=" + maxBackoff + ", signedUrlTtl=" + signedUrlTtl + "]";
  }
}

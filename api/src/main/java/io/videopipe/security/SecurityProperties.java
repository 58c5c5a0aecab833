package io.videopipe.security;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * API keys and request limits of the HTTP roles, bound from {@code videopipe.security.*}.
 *
 * @param keys the accepted keys, each stored only as the SHA-256 of the key
 * @param bootstrapKey one admin key in clear ({@code VIDEOPIPE_BOOTSTRAP_KEY}), hashed at start; never printed
 * @param maxBodySize largest request body under {@code /api/**} (413 above it)
 * @param maxCodecBodySize largest request body under {@code /codec/**} (Temporal payloads reach 2 MB)
 * @param rateLimit token buckets per key and scope
 * @param codecCorsOrigins origins (the Temporal Web UI) allowed to call {@code /codec/**} from a browser
 * @param keyCacheTtl how long the keys created over the API ({@code keys/} in storage) are cached: a key revoked
 *     through another replica stops working at most this long later (at once on the replica that revoked it)
 */
@ConfigurationProperties("videopipe.security")
public record SecurityProperties(
    @DefaultValue List<Key> keys,
    @DefaultValue("") String bootstrapKey,
    @DefaultValue("64KB") DataSize maxBodySize,
    @DefaultValue("4MB") DataSize maxCodecBodySize,
    @DefaultValue RateLimit rateLimit,
    @DefaultValue({"http://localhost:8233", "http://127.0.0.1:8233"}) List<String> codecCorsOrigins,
    @DefaultValue("5s") Duration keyCacheTtl) {

  /**
   * @param name who the key belongs to; becomes the job's {@code requestedBy}
   * @param sha256 hex SHA-256 of the key ({@code printf %s "$KEY" | sha256sum})
   * @param scopes read, submit, admin
   * @param ratePerSecond optional: this key's refill rate for every scope, overriding {@link RateLimit}
   * @param burst optional: this key's bucket size for every scope
   * @param tenant the tenant the key belongs to; {@value Caller#DEFAULT_TENANT} when not set
   */
  public record Key(String name, String sha256, Set<Scope> scopes, Double ratePerSecond, Integer burst, String tenant) {}

  /**
   * Requests per second (refill) and burst (bucket size) of each scope's bucket; one bucket per key and scope. Requests
   * without a valid key have one bucket per client IP address ({@code unauthenticated*}), so guessing keys is slow.
   */
  public record RateLimit(
      @DefaultValue("20") double readPerSecond,
      @DefaultValue("100") int readBurst,
      @DefaultValue("2") double submitPerSecond,
      @DefaultValue("20") int submitBurst,
      @DefaultValue("5") double adminPerSecond,
      @DefaultValue("20") int adminBurst,
      @DefaultValue("1") double unauthenticatedPerSecond,
      @DefaultValue("20") int unauthenticatedBurst) {}

  /** Never prints the bootstrap key. */
  @Override
  public String toString() {
    return "SecurityProperties[keys=" + keys.stream().map(Key::name).toList() + ", bootstrapKey="
        + (bootstrapKey.isBlank() ? "(not set)" : "(set)") + ", maxBodySize=" + maxBodySize + ", rateLimit="
        + rateLimit + "]";
  }
}

package io.videopipe.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.unit.DataSize;

class ApiKeysTest {
  static SecurityProperties props(List<SecurityProperties.Key> keys, String bootstrap) {
    return new SecurityProperties(keys, bootstrap, DataSize.ofKilobytes(64), DataSize.ofMegabytes(4),
        new SecurityProperties.RateLimit(20, 100, 2, 20, 5, 20, 1, 20), List.of(), java.time.Duration.ofSeconds(5));
  }

  @Test
  void keysAreCheckedByTheirHashAndCarryTheirScopes() {
    String hash = java.util.HexFormat.of().formatHex(ApiKeys.sha256("s3cret"));
    ApiKeys keys = ApiKeys.from(props(
        List.of(new SecurityProperties.Key("ci", hash, Set.of(Scope.READ, Scope.SUBMIT), null, null, null)), "boot"));

    ApiKey ci = keys.authenticate("s3cret").orElseThrow();
    assertThat(ci.name()).isEqualTo("ci");
    assertThat(ci.allows(Scope.SUBMIT)).isTrue();
    assertThat(ci.allows(Scope.ADMIN)).isFalse();
    assertThat(keys.authenticate("boot").orElseThrow().name()).isEqualTo("bootstrap");
    assertThat(keys.authenticate("boot").orElseThrow().allows(Scope.SUBMIT)).isTrue();
    assertThat(keys.authenticate("s3cret ")).isEmpty();
    assertThat(keys.authenticate(hash)).as("the hash is not the key").isEmpty();
    assertThat(props(List.of(), "boot").toString()).doesNotContain("boot,").contains("(set)");
  }

  @Test
  void aKeyWithoutAValidHashIsAStartupError() {
    assertThatThrownBy(() -> ApiKeys.from(props(List.of(new SecurityProperties.Key("ci", "abc", null, null, null, null)), "")))
        .hasMessageContaining("'ci' needs sha256 = 64 hex digits");
  }

  @Test
  void theLocalRoleWithoutKeysPrintsOneRandomAdminKeyOnceAndTheApiRoleRefusesAll() {
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    MockEnvironment local = new MockEnvironment();
    local.setActiveProfiles("local");
    ApiKeys keys;
    try {
      System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
      keys = new ApiSecurityConfiguration().apiKeys(props(List.of(), ""), local);
    } finally {
      System.setErr(err);
    }
    Matcher m = Pattern.compile("shown once, not stored\\): (vp_\\S+)").matcher(printed.toString(StandardCharsets.UTF_8));
    assertThat(m.find()).as(printed.toString()).isTrue();
    assertThat(keys.authenticate(m.group(1)).orElseThrow().allows(Scope.ADMIN)).isTrue();
    assertThat(m.find()).as("printed once").isFalse();

    MockEnvironment api = new MockEnvironment();
    api.setActiveProfiles("api");
    ApiKeys none = new ApiSecurityConfiguration().apiKeys(props(List.of(), ""), api);
    assertThat(none.isEmpty()).isTrue();
  }

  @Test
  void theBucketRefillsAtItsRateAndSaysHowLongToWait() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(new SecurityProperties.RateLimit(20, 100, 0.5, 2, 5, 20, 1, 20), now::get);
    ApiKey key = ApiKeys.admin("k", "x");
    assertThat(limiter.acquire(key, Scope.SUBMIT)).isZero();
    assertThat(limiter.acquire(key, Scope.SUBMIT)).isZero();
    assertThat(limiter.acquire(key, Scope.SUBMIT)).isEqualTo(2);
    assertThat(limiter.acquire(key, Scope.READ)).as("another scope, another bucket").isZero();
    now.addAndGet(1_000_000_000L);
    assertThat(limiter.acquire(key, Scope.SUBMIT)).isEqualTo(1);
    now.addAndGet(1_000_000_000L);
    assertThat(limiter.acquire(key, Scope.SUBMIT)).isZero();
  }
  @Test
  void requestsWithoutAValidKeyAreLimitedPerClientAddress(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(new SecurityProperties.RateLimit(20, 100, 2, 20, 5, 20, 0.5, 2), now::get);
    KeyStore keys = new KeyStore(ApiKeys.from(props(List.of(), "boot-key")),
        io.videopipe.storage.StorageFactory.open(dir.toString()), java.time.Duration.ofSeconds(5),
        java.time.Clock.systemUTC());
    ApiKeyFilter filter = new ApiKeyFilter(keys, limiter, 1024, 1024, java.time.Clock.systemUTC());

    // Two guesses from one address are answered 401; the third 429 with the wait, before any key check.
    assertThat(send(filter, "10.0.0.1", null).getStatus()).isEqualTo(401);
    assertThat(send(filter, "10.0.0.1", "guess").getStatus()).isEqualTo(401);
    org.springframework.mock.web.MockHttpServletResponse limited = send(filter, "10.0.0.1", "another-guess");
    assertThat(limited.getStatus()).isEqualTo(429);
    assertThat(limited.getHeader("Retry-After")).isEqualTo("2");
    assertThat(limited.getContentAsString()).contains("unauthenticated-per-second").doesNotContain("another-guess");
    // Another address has its own bucket; and after the wait the first may try again.
    assertThat(send(filter, "10.0.0.2", "guess").getStatus()).isEqualTo(401);
    now.addAndGet(2_000_000_000L);
    assertThat(send(filter, "10.0.0.1", "guess").getStatus()).isEqualTo(401);
  }

  @Test
  void aValidKeyNeverDrawsOnItsAddressBucket(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(new SecurityProperties.RateLimit(20, 100, 2, 20, 5, 20, 0.5, 1), now::get);
    KeyStore keys = new KeyStore(ApiKeys.from(props(List.of(), "boot-key")),
        io.videopipe.storage.StorageFactory.open(dir.toString()), java.time.Duration.ofSeconds(5),
        java.time.Clock.systemUTC());
    ApiKeyFilter filter = new ApiKeyFilter(keys, limiter, 1024, 1024, java.time.Clock.systemUTC());
    for (int i = 0; i < 5; i++) {
      assertThat(send(filter, "10.0.0.9", "boot-key").getStatus()).isEqualTo(200);
    }
    assertThat(send(filter, "10.0.0.9", "guess").getStatus()).isEqualTo(401);
    assertThat(send(filter, "10.0.0.9", "guess").getStatus()).isEqualTo(429);
    assertThat(send(filter, "10.0.0.9", "boot-key").getStatus()).isEqualTo(200);
  }

  private static org.springframework.mock.web.MockHttpServletResponse send(ApiKeyFilter filter, String ip, String key)
      throws Exception {
    org.springframework.mock.web.MockHttpServletRequest request =
        new org.springframework.mock.web.MockHttpServletRequest("GET", "/api/v1/jobs");
    request.setRemoteAddr(ip);
    if (key != null) {
      request.addHeader("X-API-Key", key);
    }
    org.springframework.mock.web.MockHttpServletResponse response = new org.springframework.mock.web.MockHttpServletResponse();
    filter.doFilter(request, response, new org.springframework.mock.web.MockFilterChain());
    return response;
  }
}

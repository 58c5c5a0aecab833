package io.videopipe.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per key and scope, and one per client address for requests without a valid key; in memory: each
 * API replica limits on its own.
 */
final class RateLimiter {
  private final SecurityProperties.RateLimit defaults;
  private final LongSupplier nanoTime;
  /** Beyond this many client addresses, idle (full) buckets are dropped: a flood of addresses cannot fill memory. */
  static final int MAX_ADDRESSES = 10_000;

  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Bucket> addresses = new ConcurrentHashMap<>();

  RateLimiter(SecurityProperties.RateLimit defaults, LongSupplier nanoTime) {
    this.defaults = defaults;
    this.nanoTime = nanoTime;
  }

  /** Takes a token; returns 0 when granted, else the whole seconds until one is available. */
  long acquire(ApiKey key, Scope scope) {
    Bucket bucket = buckets.computeIfAbsent(key.name() + "/" + scope, k -> newBucket(key, scope));
    return bucket.take(nanoTime.getAsLong());
  }

  /** Takes a token from the bucket of a client address that sent no valid key; same answer as {@link #acquire}. */
  long acquireUnauthenticated(String address) {
    long now = nanoTime.getAsLong();
    if (addresses.size() >= MAX_ADDRESSES) {
      addresses.values().removeIf(b -> b.idle(now));
    }
    Bucket bucket =
        addresses.computeIfAbsent(
            address == null ? "?" : address,
            a -> new Bucket(defaults.unauthenticatedPerSecond(), Math.max(1, defaults.unauthenticatedBurst()), now));
    return bucket.take(now);
  }

  private Bucket newBucket(ApiKey key, Scope scope) {
    double rate = switch (scope) {
      case READ -> defaults.readPerSecond();
      case SUBMIT -> defaults.submitPerSecond();
      case ADMIN -> defaults.adminPerSecond();
    };
    int burst = switch (scope) {
      case READ -> defaults.readBurst();
      case SUBMIT -> defaults.submitBurst();
      case ADMIN -> defaults.adminBurst();
    };
    if (key.ratePerSecond() != null) {
      rate = key.ratePerSecond();
    }
    if (key.burst() != null) {
      burst = key.burst();
    }
    return new Bucket(rate, Math.max(1, burst), nanoTime.getAsLong());
  }

  private static final class Bucket {
    private final double perNano;
    private final int capacity;
    private double tokens;
    private long last;

    Bucket(double perSecond, int capacity, long now) {
      this.perNano = perSecond / 1e9;
      this.capacity = capacity;
      this.tokens = capacity;
      this.last = now;
    }

    synchronized boolean idle(long now) {
      return tokens + (now - last) * perNano >= capacity;
    }

    synchronized long take(long now) {
      tokens = Math.min(capacity, tokens + (now - last) * perNano);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      if (perNano <= 0) {
        return 3600;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
    }
  }
}

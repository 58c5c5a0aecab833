package io.videopipe.security;

import java.time.Instant;
import java.util.Set;

/**
 * An accepted key as the service knows it: the SHA-256 of the secret, never the secret.
 *
 * @param tenant the tenant whose jobs, bulk runs and schedules the key sees and controls (admin keys see all)
 * @param expiresAt when the key stops working; null for never
 * @param origin where the key is defined: {@code config} (videopipe.security.keys, the bootstrap key) or {@code api}
 */
public record ApiKey(
    String name,
    byte[] sha256,
    Set<Scope> scopes,
    Double ratePerSecond,
    Integer burst,
    String tenant,
    Instant expiresAt,
    String origin) {

  static final String CONFIG = "config";
  static final String API = "api";

  public boolean allows(Scope needed) {
    return scopes.contains(Scope.ADMIN) || scopes.contains(needed);
  }

  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  Caller caller() {
    return new Caller(name, tenant, scopes.contains(Scope.ADMIN));
  }

  @Override
  public String toString() {
    return "ApiKey[" + name + " " + tenant + " " + scopes + "]";
  }
}

package io.videopipe.security;

import java.util.Set;

/** An accepted key as the service knows it: the SHA-256 of the secret, never the secret. */
public record ApiKey(String name, byte[] sha256, Set<Scope> scopes, Double ratePerSecond, Integer burst) {

  public boolean allows(Scope needed) {
    return scopes.contains(Scope.ADMIN) || scopes.contains(needed);
  }

  @Override
  public String toString() {
    return "ApiKey[" + name + " " + scopes + "]";
  }
}

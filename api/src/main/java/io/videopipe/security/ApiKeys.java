package io.videopipe.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The configured keys (and those created over the API); checks a presented key against all of them in constant time. */
public final class ApiKeys {
  static final String BOOTSTRAP_NAME = "bootstrap";

  private final List<ApiKey> keys;

  ApiKeys(List<ApiKey> keys) {
    this.keys = List.copyOf(keys);
  }

  /** The keys of the configuration, plus the bootstrap key as an admin key when it is set. */
  static ApiKeys from(SecurityProperties props) {
    List<ApiKey> keys = new ArrayList<>();
    for (SecurityProperties.Key k : props.keys()) {
      if (k.name() == null || k.name().isBlank()) {
        throw new IllegalStateException("videopipe.security.keys: every key needs a name");
      }
      if (k.sha256() == null || !k.sha256().trim().matches("[0-9a-fA-F]{64}")) {
        throw new IllegalStateException(
            "videopipe.security.keys: key '" + k.name() + "' needs sha256 = 64 hex digits (the SHA-256 of the key)");
      }
      Set<Scope> scopes = k.scopes() == null || k.scopes().isEmpty() ? EnumSet.of(Scope.READ) : EnumSet.copyOf(k.scopes());
      String tenant = k.tenant() == null || k.tenant().isBlank() ? Caller.DEFAULT_TENANT : k.tenant().trim();
      if (!Caller.NAME.matcher(tenant).matches()) {
        throw new IllegalStateException(
            "videopipe.security.keys: key '" + k.name() + "' has tenant '" + tenant + "'; a tenant is 1-64 lower-case"
                + " letters, digits, '_' or '-'");
      }
      if (keys.stream().anyMatch(other -> other.name().equals(k.name()))) {
        throw new IllegalStateException("videopipe.security.keys: two keys are named '" + k.name() + "'");
      }
      keys.add(new ApiKey(k.name(), HexFormat.of().parseHex(k.sha256().trim()), scopes, k.ratePerSecond(), k.burst(),
          tenant, null, ApiKey.CONFIG));
    }
    if (!props.bootstrapKey().isBlank()) {
      keys.add(admin(BOOTSTRAP_NAME, props.bootstrapKey()));
    }
    return new ApiKeys(keys);
  }

  static ApiKey admin(String name, String secret) {
    return new ApiKey(name, sha256(secret), EnumSet.of(Scope.ADMIN), null, null, Caller.DEFAULT_TENANT, null, ApiKey.CONFIG);
  }

  ApiKeys with(ApiKey key) {
    List<ApiKey> all = new ArrayList<>(keys);
    all.add(key);
    return new ApiKeys(all);
  }

  boolean isEmpty() {
    return keys.isEmpty();
  }

  List<ApiKey> all() {
    return keys;
  }

  boolean has(String name) {
    return keys.stream().anyMatch(k -> k.name().equals(name));
  }

  /**
   * The key whose hash matches. Hashing first gives every comparison the same length, and every key is compared, so
   * timing says nothing about how close a guess was or which key it was near.
   */
  public Optional<ApiKey> authenticate(String presented) {
    byte[] hash = sha256(presented);
    ApiKey found = null;
    for (ApiKey k : keys) {
      if (MessageDigest.isEqual(hash, k.sha256()) && found == null) {
        found = k;
      }
    }
    return Optional.ofNullable(found);
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

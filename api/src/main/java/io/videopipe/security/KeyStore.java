package io.videopipe.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.videopipe.storage.PendingWrite;
import io.videopipe.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every key the service accepts: the configured ones ({@link ApiKeys}) and those admins create over the API, which are
 * stored as one JSON object per key under {@code keys/} in the configured {@link Storage} (local or GCS), holding the
 * SHA-256 of the secret, never the secret. Stored keys are cached for {@code videopipe.security.key-cache-ttl}; a
 * create or revoke through this replica applies at once, through another one within the TTL.
 */
public final class KeyStore {
  static final String PREFIX = "keys/";
  /** A cache this stale, because storage cannot be read, no longer lets stored keys in: revocations must win. */
  static final Duration MAX_STALE = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(KeyStore.class);
  private static final ObjectMapper JSON =
      JsonMapper.builder().findAndAddModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ApiKeys configured;
  private final Storage storage;
  private final Duration ttl;
  private final Clock clock;
  private volatile Snapshot snapshot;

  /** The stored keys as last read, and when. */
  private record Snapshot(List<ApiKey> keys, Instant loadedAt, Instant readOkAt) {}

  /** One key as stored: never the secret. */
  record StoredKey(
      String name,
      String tenant,
      Set<Scope> scopes,
      Double ratePerSecond,
      Integer burst,
      String sha256,
      Instant createdAt,
      String createdBy,
      Instant expiresAt) {}

  /**
   * Body of {@code POST /api/v1/keys}.
   *
   * @param name unique among all keys: 1-64 lower-case letters, digits, '_' or '-'; becomes {@code requestedBy}
   * @param tenant the tenant whose jobs the key sees and controls (same alphabet as the name)
   * @param scopes read, submit, admin (admin sees every tenant); default read
   * @param ratePerSecond optional refill rate of the key's buckets, overriding videopipe.security.rate-limit
   * @param burst optional bucket size
   * @param expiresAt optional instant after which the key is refused, in the future
   */
  public record KeyRequest(
      String name, String tenant, Set<Scope> scopes, Double ratePerSecond, Integer burst, Instant expiresAt) {}

  /**
   * A key as {@code GET /api/v1/keys} shows it: everything but the secret and its hash.
   *
   * @param origin {@code api} (created over the API, revocable there) or {@code config} (videopipe.security.keys, the
   *     bootstrap key)
   */
  public record KeyInfo(
      String name,
      String tenant,
      Set<Scope> scopes,
      Double ratePerSecond,
      Integer burst,
      Instant createdAt,
      String createdBy,
      Instant expiresAt,
      boolean expired,
      String origin) {}

  /** The answer to a create: the key and, this once, its secret. */
  public record CreatedKey(KeyInfo key, String secret) {}

  KeyStore(ApiKeys configured, Storage storage, Duration ttl, Clock clock) {
    this.configured = configured;
    this.storage = storage;
    this.ttl = ttl;
    this.clock = clock;
  }

  /**
   * The key whose hash matches the presented secret, expired or not (the caller tells expired apart). Every key is
   * compared, with {@link MessageDigest#isEqual}, so timing says nothing about which key a guess was near.
   */
  public Optional<ApiKey> authenticate(String presented) {
    byte[] hash = ApiKeys.sha256(presented);
    ApiKey found = null;
    for (ApiKey k : (Iterable<ApiKey>) Stream.concat(configured.all().stream(), stored().stream())::iterator) {
      if (MessageDigest.isEqual(hash, k.sha256()) && found == null) {
        found = k;
      }
    }
    return Optional.ofNullable(found);
  }

  boolean isEmpty() {
    return configured.isEmpty() && stored().isEmpty();
  }

  /** Creates a key, stores its hash and returns its secret, which is not kept anywhere. */
  public synchronized CreatedKey create(KeyRequest request, String createdBy) {
    if (request == null) {
      throw new IllegalArgumentException("a key needs a body: {\"name\": ..., \"tenant\": ..., \"scopes\": [...]}");
    }
    String name = checkedName("name", request.name());
    String tenant = checkedName("tenant", request.tenant());
    Set<Scope> scopes =
        request.scopes() == null || request.scopes().isEmpty() ? EnumSet.of(Scope.READ) : EnumSet.copyOf(request.scopes());
    if (request.ratePerSecond() != null && !(request.ratePerSecond() > 0 && request.ratePerSecond() <= 10_000)) {
      throw new IllegalArgumentException("ratePerSecond must be > 0 and at most 10000, was " + request.ratePerSecond());
    }
    if (request.burst() != null && (request.burst() < 1 || request.burst() > 100_000)) {
      throw new IllegalArgumentException("burst must be 1 to 100000, was " + request.burst());
    }
    Instant now = clock.instant();
    if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
      throw new IllegalArgumentException("expiresAt must be in the future, was " + request.expiresAt());
    }
    if (configured.has(name) || exists(name)) {
      throw new KeyConflictException("a key named '" + name + "' exists already; key names are unique");
    }
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String secret = "vpk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    StoredKey stored =
        new StoredKey(name, tenant, scopes, request.ratePerSecond(), request.burst(),
            HexFormat.of().formatHex(ApiKeys.sha256(secret)), now, createdBy, request.expiresAt());
    try (PendingWrite w = storage.create(uri(name))) {
      JSON.writeValue(w.stream(), stored);
      w.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("could not store key '" + name + "' under " + storage.root() + PREFIX, e);
    }
    reload();
    log.info("API key '{}' created for tenant '{}' with scopes {} by '{}'", name, tenant, scopes, createdBy);
    return new CreatedKey(info(toKey(stored), now, createdBy), secret);
  }

  /** Every key, configured and created, without secrets or hashes; by name. */
  public List<KeyInfo> list() {
    Instant now = clock.instant();
    List<KeyInfo> all = new ArrayList<>();
    configured.all().forEach(k -> all.add(info(k, null, null)));
    for (StoredKey s : readAll()) {
      all.add(info(toKey(s), s.createdAt(), s.createdBy()));
    }
    all.sort(Comparator.comparing(KeyInfo::name));
    return all.stream().map(k -> withExpired(k, now)).toList();
  }

  /** Revokes a key created over the API: from now on (other replicas: within the cache TTL) it is refused. */
  public synchronized void revoke(String name, String revokedBy) {
    if (name == null || !Caller.NAME.matcher(name).matches() || !exists(name)) {
      if (configured.has(name)) {
        throw new KeyConflictException(
            "key '" + name + "' is configured (videopipe.security.keys or VIDEOPIPE_BOOTSTRAP_KEY), not created over"
                + " the API: remove it from the configuration and restart");
      }
      throw new KeyNotFoundException("no key named '" + name + "' was created over the API");
    }
    try {
      storage.deletePrefix(uri(name));
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete key '" + name + "'", e);
    }
    reload();
    log.info("API key '{}' revoked by '{}'", name, revokedBy);
  }

  private boolean exists(String name) {
    try {
      return storage.size(uri(name)).isPresent();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + uri(name), e);
    }
  }

  private List<ApiKey> stored() {
    Snapshot s = snapshot;
    Instant now = clock.instant();
    if (s == null || now.isAfter(s.loadedAt().plus(ttl))) {
      s = refresh(now);
    }
    return s.keys();
  }

  private synchronized Snapshot refresh(Instant now) {
    Snapshot s = snapshot;
    if (s != null && !now.isAfter(s.loadedAt().plus(ttl))) {
      return s; // another thread just did it
    }
    try {
      return reload();
    } catch (RuntimeException e) {
      boolean tooStale = s == null || now.isAfter(s.readOkAt().plus(MAX_STALE));
      log.warn("could not read the stored API keys under {}{} ({}); {}", storage.root(), PREFIX, e.toString(),
          tooStale ? "refusing stored keys until they can be read" : "using the copy read at " + s.readOkAt());
      Snapshot kept = new Snapshot(tooStale ? List.of() : s.keys(), now, s == null ? Instant.EPOCH : s.readOkAt());
      snapshot = kept;
      return kept;
    }
  }

  private synchronized Snapshot reload() {
    List<ApiKey> keys = readAll().stream().map(KeyStore::toKey).toList();
    Instant now = clock.instant();
    Snapshot s = new Snapshot(keys, now, now);
    snapshot = s;
    return s;
  }

  private List<StoredKey> readAll() {
    List<StoredKey> keys = new ArrayList<>();
    try {
      for (URI u : storage.list(storage.root().resolve(PREFIX))) {
        if (!u.getPath().endsWith(".json")) {
          continue;
        }
        try (InputStream in = storage.openRead(u)) {
          keys.add(JSON.readValue(in, StoredKey.class));
        } catch (IOException | RuntimeException e) {
          if (e instanceof java.io.FileNotFoundException) {
            continue; // revoked between list and read
          }
          log.warn("ignoring unreadable stored key {}: {}", u, e.toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return keys;
  }

  private URI uri(String name) {
    return storage.root().resolve(PREFIX + name + ".json");
  }

  private static ApiKey toKey(StoredKey s) {
    return new ApiKey(s.name(), HexFormat.of().parseHex(s.sha256()), EnumSet.copyOf(s.scopes()), s.ratePerSecond(),
        s.burst(), s.tenant(), s.expiresAt(), ApiKey.API);
  }

  private static KeyInfo info(ApiKey k, Instant createdAt, String createdBy) {
    return new KeyInfo(k.name(), k.tenant(), k.scopes(), k.ratePerSecond(), k.burst(), createdAt, createdBy,
        k.expiresAt(), false, k.origin());
  }

  private static KeyInfo withExpired(KeyInfo k, Instant now) {
    boolean expired = k.expiresAt() != null && !now.isBefore(k.expiresAt());
    return new KeyInfo(k.name(), k.tenant(), k.scopes(), k.ratePerSecond(), k.burst(), k.createdAt(), k.createdBy(),
        k.expiresAt(), expired, k.origin());
  }

  private static String checkedName(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required: 1-64 lower-case letters, digits, '_' or '-'");
    }
    if (!Caller.NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field + " '" + value + "' must be 1-64 lower-case letters, digits, '_' or '-', starting with a letter or digit");
    }
    return value;
  }
}

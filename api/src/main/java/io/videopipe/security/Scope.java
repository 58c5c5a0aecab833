package io.videopipe.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.util.AntPathMatcher;

/**
 * What an API key may do. {@code read} is every GET; {@code submit} starts, cancels and reprioritises jobs;
 * {@code admin} is everything else (reprocessing, schedules, the codec endpoints, managing keys, reading the key list,
 * ...), implies the other two and sees every tenant.
 */
public enum Scope {
  READ,
  SUBMIT,
  ADMIN;

  private static final AntPathMatcher PATHS = new AntPathMatcher();
  private static final List<String> SUBMIT_PATHS =
      List.of(
          "/api/v1/jobs",
          "/api/v1/jobs/*/cancel",
          "/api/v1/jobs/*/priority",
          "/api/v1/uploads",
          // the dashboard's forms do the same through the same services
          "/ui/jobs",
          "/ui/jobs/*/cancel",
          "/ui/jobs/*/priority",
          "/ui/uploads");
  private static final List<String> ADMIN_PATHS = List.of("/api/v1/keys", "/api/v1/keys/**");

  /** The scope a request needs; anything not named here needs admin, so new endpoints are safe by default. */
  public static Scope required(String method, String path) {
    String m = method.toUpperCase(Locale.ROOT);
    if (ADMIN_PATHS.stream().anyMatch(p -> PATHS.match(p, path))) {
      return ADMIN;
    }
    if (m.equals("GET") || m.equals("HEAD")) {
      return READ;
    }
    if (m.equals("POST") && SUBMIT_PATHS.stream().anyMatch(p -> PATHS.match(p, path))) {
      return SUBMIT;
    }
    return ADMIN;
  }

  /** read, submit or admin, in any case. */
  @JsonCreator
  public static Scope parse(String label) {
    return Arrays.stream(values())
        .filter(s -> s.name().equalsIgnoreCase(label == null ? "" : label.trim()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown scope '" + label + "'; use read, submit or admin"));
  }

  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

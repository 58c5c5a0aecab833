package io.videopipe.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Signs a browser in to the codec endpoints, for the Temporal Web UI: the UI's codec requests carry no API key (it
 * sends a token only to https endpoints, and only with its own login), but with "include cross-origin credentials"
 * they carry this site's cookies. An admin key entered here becomes an HttpOnly, SameSite=Strict cookie valid only
 * under {@code /codec}, for {@link #VALIDITY}; {@link ApiKeyFilter} accepts it there and nowhere else.
 */
@RestController
@Profile({"local", "api"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class CodecLoginController {
  static final String PATH = "/codec-login";
  static final String COOKIE = "videopipe_codec";
  static final Duration VALIDITY = Duration.ofHours(8);

  private final KeyStore keys;

  CodecLoginController(KeyStore keys) {
    this.keys = keys;
  }

  @GetMapping(value = PATH, produces = MediaType.TEXT_HTML_VALUE)
  String form() {
    return page("Sign in to the payload codec",
        "<p>An admin API key lets this browser's Temporal Web UI decode videopipe's encrypted payloads "
            + "(the UI's codec settings need <b>Include cross-origin credentials</b> on).</p>"
            + "<form method=\"post\" action=\"" + PATH + "\"><label>API key <input type=\"password\" name=\"key\" "
            + "id=\"key\" autocomplete=\"off\" required></label> <button type=\"submit\" id=\"sign-in\">Sign in"
            + "</button></form>");
  }

  @PostMapping(value = PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
      produces = MediaType.TEXT_HTML_VALUE)
  ResponseEntity<String> signIn(@RequestParam(name = "key", defaultValue = "") String key, HttpServletRequest request) {
    Optional<ApiKey> k = key.isBlank() ? Optional.empty() : keys.authenticate(key.strip());
    if (k.isEmpty() || k.get().expiredAt(java.time.Instant.now()) || !k.get().allows(Scope.ADMIN)) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.TEXT_HTML)
          .body(page("Not signed in", "<p>That is not an admin API key of this service.</p>"));
    }
    ResponseCookie cookie = ResponseCookie.from(COOKIE, encode(key.strip()))
        .httpOnly(true)
        .secure(request.isSecure())
        .sameSite("Strict")
        .path("/codec")
        .maxAge(VALIDITY)
        .build();
    return ResponseEntity.ok().header(HttpHeaders.SET_COOKIE, cookie.toString()).contentType(MediaType.TEXT_HTML)
        .body(page("Signed in", "<p id=\"signed-in\">This browser may now decode payloads with key '"
            + k.get().name().replace("<", "&lt;") + "' for " + VALIDITY.toHours()
            + " hours. Reload the Temporal Web UI.</p>"));
  }

  /** The key a cookie of {@link #signIn} holds, or null. */
  static String decode(String cookieValue) {
    try {
      return new String(Base64.getUrlDecoder().decode(cookieValue), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String encode(String key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  private static String page(String title, String body) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + " - videopipe</title>"
        + "</head><body><h1>" + title + "</h1>" + body + "</body></html>";
  }
}

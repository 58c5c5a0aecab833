package io.videopipe.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request needs an API key ({@code X-API-Key: <key>} or {@code Authorization: Bearer <key>}) except the public
 * paths: health probes and the OpenAPI document with its UI, which describe the API but hold no data, and the codec
 * sign-in page (under {@code /codec/} the cookie of a codec sign-in, {@link CodecLoginController}, counts as the key).
 * Requests without
 * a valid key are rate limited per client address (429), then refused (401). Then, in order: expiry (401), scope
 * (403), rate limit (429) and body size (413). The key's name goes on as request attribute {@link #KEY_NAME}, the
 * {@link Caller} (name, tenant, admin) as {@link Caller#ATTRIBUTE}. Every mutating call is written to the audit log.
 */
public class ApiKeyFilter extends OncePerRequestFilter {
  /** Request attribute: the name of the key that authenticated the request. */
  public static final String KEY_NAME = "io.videopipe.security.keyName";

  static final List<String> PUBLIC_PATHS =
      List.of(
          "/actuator/health",
          "/actuator/health/**",
          "/docs",
          "/docs/**",
          "/swagger-ui/**",
          "/swagger-ui.html",
          "/v3/api-docs",
          "/v3/api-docs/**",
          // the dashboard's sign-in page and its assets; its other pages carry the session's key (ui.DashboardSession)
          "/",
          "/ui/login",
          "/ui/logout",
          "/ui/assets/**",
          "/webjars/**",
          CodecLoginController.PATH);

  /** Uploads stream their body to storage, which enforces their own limit (videopipe.ui.max-upload-size). */
  static final List<String> STREAMED_PATHS = List.of("/api/v1/uploads", "/ui/uploads");

  private static final AntPathMatcher PATHS = new AntPathMatcher();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeyStore keys;
  private final RateLimiter limiter;
  private final long maxBody;
  private final long maxCodecBody;
  private final AuditLog audit;
  private final java.time.Clock clock;

  ApiKeyFilter(KeyStore keys, RateLimiter limiter, long maxBody, long maxCodecBody, java.time.Clock clock) {
    this.keys = keys;
    this.limiter = limiter;
    this.maxBody = maxBody;
    this.maxCodecBody = maxCodecBody;
    this.clock = clock;
    this.audit = new AuditLog(clock);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (PUBLIC_PATHS.stream().anyMatch(p -> PATHS.match(p, path))) {
      chain.doFilter(request, response);
      return;
    }
    Caller[] caller = new Caller[1];
    try {
      authorize(request, response, chain, path, caller);
    } finally {
      audit.record(request, response, path, caller[0]);
    }
  }

  private void authorize(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain, String path, Caller[] caller)
      throws ServletException, IOException {
    String presented = presentedKey(request, path);
    Optional<ApiKey> key = presented == null ? Optional.empty() : keys.authenticate(presented);
    if (key.isEmpty() || key.get().expiredAt(clock.instant())) {
      // Every request without a usable key draws on its address's bucket: guessing keys is slow.
      long wait = limiter.acquireUnauthenticated(request.getRemoteAddr());
      if (wait > 0) {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(wait));
        problem(response, request, 429, "Too many requests",
            "too many requests without a valid API key from " + request.getRemoteAddr() + "; retry in " + wait
                + " s (videopipe.security.rate-limit.unauthenticated-per-second)");
        return;
      }
    }
    if (presented == null) {
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"videopipe\"");
      problem(response, request, 401, "API key required",
          "send an API key in the X-API-Key header or as 'Authorization: Bearer <key>'");
      return;
    }
    if (key.isEmpty()) {
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"videopipe\", error=\"invalid_token\"");
      problem(response, request, 401, "Invalid API key", "the API key sent is not one this service accepts");
      return;
    }
    ApiKey k = key.get();
    if (k.expiredAt(clock.instant())) {
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"videopipe\", error=\"invalid_token\"");
      problem(response, request, 401, "API key expired",
          "key '" + k.name() + "' expired at " + k.expiresAt() + "; ask an admin for a new one");
      return;
    }
    caller[0] = k.caller();
    Scope needed = Scope.required(request.getMethod(), path);
    if (!k.allows(needed)) {
      problem(response, request, 403, "Insufficient scope",
          "key '" + k.name() + "' lacks the '" + needed.label() + "' scope that " + request.getMethod() + " "
              + path + " needs");
      return;
    }
    long waitSeconds = limiter.acquire(k, needed);
    if (waitSeconds > 0) {
      response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(waitSeconds));
      problem(response, request, 429, "Too many requests",
          "key '" + k.name() + "' is over its '" + needed.label() + "' rate limit; retry in " + waitSeconds + " s");
      return;
    }
    if (STREAMED_PATHS.contains(path)) {
      request.setAttribute(KEY_NAME, k.name());
      chain.doFilter(request, response);
      return;
    }
    long limit = path.startsWith("/codec/") ? maxCodecBody : maxBody;
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      tooLarge(response, request, limit);
      return;
    }
    HttpServletRequest forward = request;
    if (declared > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
      // A chunked body declares no length: read at most one byte past the limit to tell.
      byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (body.length > limit) {
        tooLarge(response, request, limit);
        return;
      }
      forward = new BufferedBody(request, body);
    }
    forward.setAttribute(KEY_NAME, k.name());
    forward.setAttribute(Caller.ATTRIBUTE, caller[0]);
    chain.doFilter(forward, response);
  }

  private static String presentedKey(HttpServletRequest request, String path) {
    String header = request.getHeader("X-API-Key");
    if (header != null && !header.isBlank()) {
      return header.trim();
    }
    String auth = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && !auth.substring(7).isBlank()) {
      return auth.substring(7).trim();
    }
    // the Temporal Web UI's codec requests: only the cookie of a codec sign-in, only under /codec
    if (path.startsWith("/codec/") && request.getCookies() != null) {
      for (jakarta.servlet.http.Cookie c : request.getCookies()) {
        if (CodecLoginController.COOKIE.equals(c.getName())) {
          return CodecLoginController.decode(c.getValue());
        }
      }
    }
    return null;
  }

  private static void tooLarge(HttpServletResponse response, HttpServletRequest request, long limit)
      throws IOException {
    response.setHeader(HttpHeaders.CONNECTION, "close");
    problem(response, request, 413, "Request body too large",
        "the request body is larger than the " + limit + " bytes allowed here");
  }

  static void problem(HttpServletResponse response, HttpServletRequest request, int status, String title, String detail)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    body.put("instance", request.getRequestURI());
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    JSON.writeValue(response.getOutputStream(), body);
  }

  /** The request with its body already read, so it can be checked for size once and read again downstream. */
  private static final class BufferedBody extends HttpServletRequestWrapper {
    private final byte[] body;

    BufferedBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      InputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() throws IOException {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          try {
            return in.available() == 0;
          } catch (IOException e) {
            return true;
          }
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("synchronous reads only");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      String enc = getCharacterEncoding();
      return new BufferedReader(
          new InputStreamReader(
              new ByteArrayInputStream(body), enc == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(enc)));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}

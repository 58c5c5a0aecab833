package io.videopipe.ui;

import io.videopipe.security.ApiKey;
import io.videopipe.security.Scope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The dashboard's sign-in: the API key a person typed stays in the server-side session (the browser holds only the
 * HttpOnly, SameSite session cookie) and is presented to the API key filter on each of their requests, so a key's
 * scopes, rate limits (and tenant) apply to the dashboard exactly as to the API. Every unsafe request under
 * {@code /ui} needs the session's CSRF token (form field {@value #CSRF_FIELD} or header {@value #CSRF_HEADER}). On
 * {@code /api/**} the session is accepted for GET and HEAD only (players, captions, downloads, event streams): a
 * changing API call must send its key itself.
 */
public class DashboardSession extends OncePerRequestFilter {
  public static final String CSRF_FIELD = "_csrf";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  static final String KEY = "videopipe.ui.key";
  static final String KEY_NAME = "videopipe.ui.keyName";
  static final String SCOPES = "videopipe.ui.scopes";
  static final String CSRF = "videopipe.ui.csrf";
  private static final List<String> OPEN_UI_PATHS = List.of("/ui/login", "/ui/logout");
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    boolean safe = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
    HttpSession session = request.getSession(false);
    String key = session == null ? null : (String) session.getAttribute(KEY);
    if (path.equals("/ui") || path.startsWith("/ui/")) {
      if (path.startsWith("/ui/assets/")) {
        chain.doFilter(request, response);
        return;
      }
      if (!safe && !csrfMatches(request, session)) {
        response.sendError(403, "The form's security token is missing or out of date; reload the page and try again.");
        return;
      }
      if (OPEN_UI_PATHS.contains(path)) {
        chain.doFilter(request, response);
        return;
      }
      if (key == null) {
        if (request.getHeader("HX-Request") != null || !safe) {
          response.setHeader("HX-Redirect", "/ui/login");
          response.sendError(401, "Sign in with an API key first.");
        } else {
          String next = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
          response.sendRedirect("/ui/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
        }
        return;
      }
      chain.doFilter(new WithKey(request, key), response);
      return;
    }
    if (path.startsWith("/api/") && safe && key != null && request.getHeader("X-API-Key") == null
        && request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
      chain.doFilter(new WithKey(request, key), response);
      return;
    }
    chain.doFilter(request, response);
  }

  /** A new session for a signed-in key (never the one used before sign-in: no session fixation). */
  static void signIn(HttpServletRequest request, String secret, ApiKey key) {
    HttpSession old = request.getSession(false);
    if (old != null) {
      old.invalidate();
    }
    HttpSession session = request.getSession(true);
    session.setAttribute(KEY, secret);
    session.setAttribute(KEY_NAME, key.name());
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (Scope s : Scope.values()) {
      if (key.allows(s)) {
        scopes.add(s);
      }
    }
    session.setAttribute(SCOPES, scopes);
    session.setAttribute(CSRF, newToken());
  }

  /** The session's CSRF token, creating the session (and token) for the sign-in form. */
  static String csrfToken(HttpServletRequest request) {
    HttpSession session = request.getSession(true);
    String token = (String) session.getAttribute(CSRF);
    if (token == null) {
      token = newToken();
      session.setAttribute(CSRF, token);
    }
    return token;
  }

  static String keyName(HttpServletRequest request) {
    HttpSession s = request.getSession(false);
    return s == null ? null : (String) s.getAttribute(KEY_NAME);
  }

  @SuppressWarnings("unchecked")
  static Set<Scope> scopes(HttpServletRequest request) {
    HttpSession s = request.getSession(false);
    Object v = s == null ? null : s.getAttribute(SCOPES);
    return v == null ? Set.of() : (Set<Scope>) v;
  }

  private static boolean csrfMatches(HttpServletRequest request, HttpSession session) {
    String expected = session == null ? null : (String) session.getAttribute(CSRF);
    if (expected == null) {
      return false;
    }
    String sent = request.getHeader(CSRF_HEADER);
    if (sent == null && isForm(request)) {
      sent = request.getParameter(CSRF_FIELD);
    }
    return sent != null
        && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  /** Only url-encoded forms (or bodiless posts) are read for the field: an upload's body must stream on untouched. */
  private static boolean isForm(HttpServletRequest request) {
    String type = request.getContentType();
    return type == null || type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  private static String newToken() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** The request as if the signed-in person had sent their key. */
  private static final class WithKey extends HttpServletRequestWrapper {
    private final String key;

    WithKey(HttpServletRequest request, String key) {
      super(request);
      this.key = key;
    }

    @Override
    public String getHeader(String name) {
      return "X-API-Key".equalsIgnoreCase(name) ? key : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return "X-API-Key".equalsIgnoreCase(name) ? Collections.enumeration(List.of(key)) : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      List<String> names = Collections.list(super.getHeaderNames());
      names.add("X-API-Key");
      return Collections.enumeration(names);
    }
  }
}

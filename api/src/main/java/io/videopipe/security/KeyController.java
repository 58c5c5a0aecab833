package io.videopipe.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.util.List;
import org.springframework.context.annotation.Profile;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** API keys, managed by admins: create (the secret is answered once), list (never secrets), revoke. */
@RestController
@RequestMapping("/api/v1/keys")
@Profile({"local", "api"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class KeyController {
  private final KeyStore keys;

  public KeyController(KeyStore keys) {
    this.keys = keys;
  }

  /** The list of {@code GET /api/v1/keys}. */
  public record KeyList(List<KeyStore.KeyInfo> keys) {}

  @Operation(summary = "Create an API key for a tenant; the secret is in this answer only")
  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  public ResponseEntity<KeyStore.CreatedKey> create(
      @RequestBody KeyStore.KeyRequest body,
      @RequestAttribute(name = ApiKeyFilter.KEY_NAME, required = false) String keyName) {
    KeyStore.CreatedKey created = keys.create(body, keyName);
    return ResponseEntity.created(URI.create("/api/v1/keys/" + created.key().name()))
        .cacheControl(CacheControl.noStore())
        .body(created);
  }

  @Operation(summary = "Every key, configured and created, without secrets")
  @GetMapping
  public KeyList list() {
    return new KeyList(keys.list());
  }

  @Operation(summary = "Revoke a key created over the API")
  @DeleteMapping("/{name}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public ResponseEntity<Void> revoke(
      @PathVariable String name,
      @RequestAttribute(name = ApiKeyFilter.KEY_NAME, required = false) String keyName) {
    keys.revoke(name, keyName);
    return ResponseEntity.noContent().build();
  }

  @ExceptionHandler(KeyConflictException.class)
  ProblemDetail conflict(KeyConflictException e) {
    return problem(HttpStatus.CONFLICT, "Key conflict", e.getMessage());
  }

  @ExceptionHandler(KeyNotFoundException.class)
  ProblemDetail notFound(KeyNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "Key not found", e.getMessage());
  }

  private static ProblemDetail problem(HttpStatus status, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setTitle(title);
    return p;
  }
}

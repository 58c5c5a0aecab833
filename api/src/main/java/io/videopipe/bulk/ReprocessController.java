package io.videopipe.bulk;

import io.videopipe.security.ApiKeyFilter;
import io.videopipe.security.Caller;
import java.net.URI;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Bulk reprocessing: start one, follow its progress, cancel it (and its running jobs). */
@RestController
@RequestMapping("/api/v1/reprocess")
@Profile({"local", "api"})
public class ReprocessController {
  private final ReprocessService service;

  public ReprocessController(ReprocessService service) {
    this.service = service;
  }

  @PostMapping
  @ResponseStatus(HttpStatus.ACCEPTED)
  ResponseEntity<Map<String, Object>> start(
      @RequestBody ReprocessSpec spec,
      @RequestAttribute(name = ApiKeyFilter.KEY_NAME, required = false) String keyName,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    String id = service.start(spec.toRequest(keyName == null ? "api" : keyName, caller == null ? null : caller.tenant()));
    URI self = ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(id).toUri();
    return ResponseEntity.accepted()
        .location(self)
        .body(Map.of("bulkId", id, "links", Map.of("self", self.toString(), "cancel", self + "/cancel")));
  }

  @GetMapping("/{id}")
  ReprocessService.BulkView progress(
      @PathVariable String id,
      @RequestParam(name = "childrenPageToken", required = false) String childrenPageToken,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    return service.view(id, caller, childrenPageToken);
  }

  @PostMapping("/{id}/cancel")
  @ResponseStatus(HttpStatus.ACCEPTED)
  ResponseEntity<Map<String, Object>> cancel(
      @PathVariable String id, @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    service.cancel(id, caller);
    return ResponseEntity.accepted().body(Map.of("bulkId", id, "cancelRequested", true));
  }

  @ExceptionHandler(BulkNotFoundException.class)
  ProblemDetail notFound(BulkNotFoundException e) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    p.setTitle("Bulk reprocessing run not found");
    return p;
  }
}

package io.videopipe.bulk;

import io.videopipe.security.Caller;
import java.net.URI;
import java.util.Map;
import org.springframework.context.annotation.Profile;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Recurring bulk reprocessing through Temporal schedules (cron workflows on the embedded server). */
@RestController
@RequestMapping("/api/v1/schedules")
@Profile({"local", "api"})
public class ScheduleController {
  private final ScheduleService service;

  public ScheduleController(ScheduleService service) {
    this.service = service;
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  ResponseEntity<Map<String, Object>> create(
      @RequestBody ScheduleRequest body,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    Map<String, Object> answer = service.create(body, caller == null ? null : caller.tenant());
    URI self =
        ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(body.id()).toUri();
    return ResponseEntity.created(self).body(answer);
  }

  @GetMapping
  Map<String, Object> list(@RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    return service.list(caller);
  }

  @PostMapping("/{id}/pause")
  Map<String, Object> pause(@PathVariable String id, @RequestParam(required = false) String note) {
    service.pause(id, note);
    return Map.of("scheduleId", id, "paused", true);
  }

  @PostMapping("/{id}/unpause")
  Map<String, Object> unpause(@PathVariable String id) {
    service.unpause(id);
    return Map.of("scheduleId", id, "paused", false);
  }

  @PostMapping("/{id}/trigger")
  @ResponseStatus(HttpStatus.ACCEPTED)
  ResponseEntity<Map<String, Object>> trigger(@PathVariable String id) {
    service.trigger(id);
    return ResponseEntity.accepted().body(Map.of("scheduleId", id, "triggered", true));
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  ResponseEntity<Void> delete(@PathVariable String id) {
    service.delete(id);
    return ResponseEntity.noContent().build();
  }

  @ExceptionHandler(ScheduleNotFoundException.class)
  ProblemDetail notFound(ScheduleNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "Schedule not found", e.getMessage());
  }

  @ExceptionHandler(ScheduleConflictException.class)
  ProblemDetail conflict(ScheduleConflictException e) {
    return problem(HttpStatus.CONFLICT, "Schedule exists", e.getMessage());
  }

  /** A conflict with what the schedule is here (a cron workflow), not a server fault: the detail says what to do. */
  @ExceptionHandler(ScheduleUnsupportedException.class)
  ProblemDetail unsupported(ScheduleUnsupportedException e) {
    return problem(HttpStatus.CONFLICT, "Not possible on the embedded Temporal server", e.getMessage());
  }

  private static ProblemDetail problem(HttpStatus status, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setTitle(title);
    return p;
  }
}

package io.videopipe.jobs;

import java.net.URI;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** REST v1, first surface: start a job, read it, cancel it. */
@RestController
@RequestMapping("/api/v1/jobs")
@Profile({"local", "api"})
public class JobController {
  private final JobService jobs;

  public JobController(JobService jobs) {
    this.jobs = jobs;
  }

  /** Starts a job; 202 with its id and links. */
  @PostMapping
  public ResponseEntity<Map<String, Object>> submit(
      @RequestBody JobSubmission submission,
      @RequestHeader(value = "X-Requested-By", required = false) String requestedBy) {
    String jobId = jobs.start(submission, requestedBy == null ? "api" : requestedBy);
    URI self = URI.create("/api/v1/jobs/" + jobId);
    return ResponseEntity.accepted()
        .location(self)
        .body(Map.of("jobId", jobId, "links", Map.of("self", self.toString(), "cancel", self + "/cancel")));
  }

  @GetMapping("/{jobId}")
  public JobView get(@PathVariable String jobId) {
    return jobs.view(jobId);
  }

  /** Cancels a running job with a reason; its intermediate artifacts are deleted. */
  @PostMapping("/{jobId}/cancel")
  public ResponseEntity<Void> cancel(
      @PathVariable String jobId, @RequestBody(required = false) Map<String, String> body) {
    String reason = body == null ? null : body.get("reason");
    jobs.cancel(jobId, reason == null || reason.isBlank() ? "cancelled through the API" : reason);
    return ResponseEntity.accepted().build();
  }
}

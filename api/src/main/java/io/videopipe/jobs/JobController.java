package io.videopipe.jobs;

import io.swagger.v3.oas.annotations.Operation;
import io.videopipe.jobs.JobArtifacts.Artifact;
import io.videopipe.jobs.JobArtifacts.Report;
import java.net.URI;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** REST v1: start, list, read, steer and cancel jobs, and stream their artifacts. */
@RestController
@RequestMapping("/api/v1/jobs")
@Profile({"local", "api"})
public class JobController {
  private final JobService jobs;
  private final JobArtifacts artifacts;
  private final JobListing listing;

  public JobController(JobService jobs, JobArtifacts artifacts, JobListing listing) {
    this.jobs = jobs;
    this.artifacts = artifacts;
    this.listing = listing;
  }

  /** Body of {@code POST /api/v1/jobs/{id}/priority}: 1 (highest) to 5. */
  public record PriorityChange(Integer priority) {}

  /** Starts a job; 202 with its id and links. */
  @Operation(summary = "Start a job")
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

  /** Lists jobs through Temporal visibility; degraded (see {@link JobPage#degraded()}) on the embedded server. */
  @Operation(summary = "List jobs by status, engine and start time")
  @GetMapping
  public JobPage list(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String engine,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) Integer pageSize,
      @RequestParam(required = false) String nextPageToken) {
    return listing.list(JobFilter.of(status, engine, from, to, pageSize, nextPageToken));
  }

  @Operation(summary = "Status, step, percent, engine and priority of a job; its result once ended")
  @GetMapping("/{jobId}")
  public JobView get(@PathVariable String jobId) {
    return jobs.view(jobId);
  }

  /** Cancels a running job with a reason; its intermediate artifacts are deleted. */
  @Operation(summary = "Cancel a running job with a reason")
  @PostMapping("/{jobId}/cancel")
  public ResponseEntity<Void> cancel(
      @PathVariable String jobId, @RequestBody(required = false) Map<String, String> body) {
    String reason = body == null ? null : body.get("reason");
    jobs.cancel(jobId, reason == null || reason.isBlank() ? "cancelled through the API" : reason);
    return ResponseEntity.accepted().build();
  }

  /** Changes the priority of a running job's next steps (the workflow's {@code reprioritize} signal). */
  @Operation(summary = "Change the priority (1 highest .. 5) of a running job's next steps")
  @PostMapping("/{jobId}/priority")
  public ResponseEntity<Map<String, Object>> priority(
      @PathVariable String jobId, @RequestBody(required = false) PriorityChange body) {
    int priority = JobService.requirePriority(body == null ? null : body.priority());
    jobs.reprioritize(jobId, priority);
    return ResponseEntity.accepted().body(Map.of("jobId", jobId, "priority", priority));
  }

  @Operation(summary = "The transcript of an ended job as json, srt, vtt or txt")
  @GetMapping("/{jobId}/transcript")
  public ResponseEntity<InputStreamResource> transcript(
      @PathVariable String jobId, @RequestParam(required = false) String format) {
    TranscriptFormat f = TranscriptFormat.parse(format);
    return stream(artifacts.transcript(jobId, f));
  }

  @Operation(summary = "The highlights of an ended job (JSON)")
  @GetMapping("/{jobId}/highlights")
  public ResponseEntity<InputStreamResource> highlights(@PathVariable String jobId) {
    return stream(artifacts.report(jobId, Report.HIGHLIGHTS));
  }

  @Operation(summary = "The QA report of an ended job (JSON)")
  @GetMapping("/{jobId}/qa")
  public ResponseEntity<InputStreamResource> qa(@PathVariable String jobId) {
    return stream(artifacts.report(jobId, Report.QA));
  }

  @Operation(summary = "The cost report of an ended job (JSON)")
  @GetMapping("/{jobId}/cost")
  public ResponseEntity<InputStreamResource> cost(@PathVariable String jobId) {
    return stream(artifacts.report(jobId, Report.COST));
  }

  private static ResponseEntity<InputStreamResource> stream(Artifact a) {
    return ResponseEntity.ok()
        .contentType(a.mediaType())
        .header("Content-Disposition", ContentDisposition.inline().filename(a.filename()).build().toString())
        .body(new InputStreamResource(a.body()));
  }
}

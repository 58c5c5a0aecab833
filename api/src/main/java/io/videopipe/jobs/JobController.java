package io.videopipe.jobs;

import io.swagger.v3.oas.annotations.Operation;
import io.videopipe.jobs.JobArtifacts.Artifact;
import io.videopipe.jobs.JobArtifacts.Report;
import io.videopipe.security.ApiKeyFilter;
import io.videopipe.security.Caller;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** REST v1: start, list, read, steer and cancel jobs, and stream their artifacts. */
@RestController
@RequestMapping("/api/v1/jobs")
@Profile({"local", "api"})
public class JobController {
  private final JobService jobs;
  private final JobArtifacts artifacts;
  private final JobListing listing;
  private final JobTenancy tenancy;

  public JobController(JobService jobs, JobArtifacts artifacts, JobListing listing, JobTenancy tenancy) {
    this.jobs = jobs;
    this.artifacts = artifacts;
    this.listing = listing;
    this.tenancy = tenancy;
  }

  /** Body of {@code POST /api/v1/jobs/{id}/priority}: 1 (highest) to 5. */
  public record PriorityChange(Integer priority) {}

  /**
   * Starts a job; 202 with its id and links. With an {@code Idempotency-Key}, a retry of the same request answers the
   * same job (header {@code Idempotent-Replayed: true}); the key sent with a different request is a 422.
   */
  @Operation(operationId = "submitJob", summary = "Start a job (optionally idempotent with an Idempotency-Key header)")
  @PostMapping
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ResponseEntity<Map<String, Object>> submit(
      @RequestBody JobSubmission submission,
      @RequestAttribute(name = ApiKeyFilter.KEY_NAME, required = false) String keyName,
      @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    JobService.Started started =
        jobs.submit(
            submission, keyName == null ? "api" : keyName, idempotencyKey, caller == null ? null : caller.tenant());
    String jobId = started.jobId();
    URI self = URI.create("/api/v1/jobs/" + jobId);
    ResponseEntity.BodyBuilder accepted = ResponseEntity.accepted().location(self);
    if (started.replayed()) {
      accepted.header("Idempotent-Replayed", "true");
    }
    return accepted.body(
        Map.of("jobId", jobId, "links", Map.of("self", self.toString(), "cancel", self + "/cancel")));
  }

  /** Lists jobs through Temporal visibility; degraded (see {@link JobPage#degraded()}) on the embedded server. */
  @Operation(operationId = "listJobs", summary = "List jobs by status, engine and start time")
  @GetMapping
  public JobPage list(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String engine,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) Integer pageSize,
      @RequestParam(required = false) String nextPageToken,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    JobFilter filter = JobFilter.of(status, engine, from, to, pageSize, nextPageToken);
    return listing.list(caller == null ? filter : filter.withTenant(caller.listingTenant()));
  }

  @Operation(operationId = "getJob", summary = "Status, step, percent, engine and priority of a job; its result once ended")
  @GetMapping("/{jobId}")
  public JobView get(
      @PathVariable String jobId, @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    tenancy.require(jobId, caller);
    return jobs.view(jobId);
  }

  /** Cancels a running job with a reason; its intermediate artifacts are deleted. */
  @Operation(operationId = "cancelJob", summary = "Cancel a running job with a reason")
  @PostMapping("/{jobId}/cancel")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ResponseEntity<Void> cancel(
      @PathVariable String jobId,
      @RequestBody(required = false) Map<String, String> body,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    tenancy.require(jobId, caller);
    String reason = body == null ? null : body.get("reason");
    jobs.cancel(jobId, reason == null || reason.isBlank() ? "cancelled through the API" : reason);
    return ResponseEntity.accepted().build();
  }

  /** Changes the priority of a running job's next steps (the workflow's {@code reprioritize} signal). */
  @Operation(summary = "Change the priority (1 highest .. 5) of a running job's next steps")
  @PostMapping("/{jobId}/priority")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ResponseEntity<Map<String, Object>> priority(
      @PathVariable String jobId,
      @RequestBody(required = false) PriorityChange body,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    tenancy.require(jobId, caller);
    int priority = JobService.requirePriority(body == null ? null : body.priority());
    jobs.reprioritize(jobId, priority);
    return ResponseEntity.accepted().body(Map.of("jobId", jobId, "priority", priority));
  }

  @Operation(summary = "The transcript of an ended job as json, srt, vtt or txt")
  @GetMapping("/{jobId}/transcript")
  public ResponseEntity<InputStreamResource> transcript(
      @PathVariable String jobId,
      @RequestParam(required = false) String format,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    tenancy.require(jobId, caller);
    TranscriptFormat f = TranscriptFormat.parse(format);
    return stream(artifacts.transcript(jobId, f));
  }

  @Operation(summary = "The highlights of an ended job (JSON)")
  @GetMapping("/{jobId}/highlights")
  public ResponseEntity<InputStreamResource> highlights(
      @PathVariable String jobId, @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    tenancy.require(jobId, caller);
    return stream(artifacts.report(jobId, Report.HIGHLIGHTS));
  }

  @Operation(summary = "The QA report of an ended job (JSON)")
  @GetMapping("/{jobId}/qa")
  public ResponseEntity<InputStreamResource> qa(
      @PathVariable String jobId, @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    tenancy.require(jobId, caller);
    return stream(artifacts.report(jobId, Report.QA));
  }

  @Operation(summary = "The cost report of an ended job (JSON)")
  @GetMapping("/{jobId}/cost")
  public ResponseEntity<InputStreamResource> cost(
      @PathVariable String jobId, @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    tenancy.require(jobId, caller);
    return stream(artifacts.report(jobId, Report.COST));
  }

  /**
   * A rendered clip ({@code /clips/3}, {@code /clips/3.mp4}) or its captions ({@code /clips/3.srt},
   * {@code /clips/3.vtt}, or {@code ?format=srt|vtt}), with single-range {@code Range} support for players.
   */
  @Operation(summary = "A rendered clip (MP4, Range requests supported) or its captions (.srt/.vtt or ?format=)")
  @GetMapping("/{jobId}/clips/{clip}")
  public void clip(
      @PathVariable String jobId,
      @PathVariable String clip,
      @RequestParam(required = false) String format,
      @RequestHeader(value = HttpHeaders.RANGE, required = false) String range,
      HttpServletResponse response,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller)
      throws IOException {
    tenancy.require(jobId, caller);
    ClipFile file = ClipFile.parse(clip, format);
    JobArtifacts.StoredFile stored = artifacts.clip(jobId, file);
    ByteRanges.serve(stored, range, response);
  }

  private static ResponseEntity<InputStreamResource> stream(Artifact a) {
    return ResponseEntity.ok()
        .contentType(a.mediaType())
        .header("Content-Disposition", ContentDisposition.inline().filename(a.filename()).build().toString())
        .body(new InputStreamResource(a.body()));
  }
}

package io.videopipe.events;

import io.videopipe.security.Caller;
import io.videopipe.jobs.JobTenancy;
import io.swagger.v3.oas.annotations.Operation;
import io.videopipe.jobs.JobFilter;
import io.videopipe.jobs.JobListing;
import io.videopipe.jobs.JobPage;
import io.videopipe.jobs.JobService;
import io.videopipe.jobs.JobView;
import io.videopipe.pipeline.JobStatus;
import io.videopipe.security.ApiKeyFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter.SseEventBuilder;

/**
 * Live progress as server-sent events (see docs/dashboard.md): one stream per job, closed when the job ends, and one
 * for the job list. Both read through the same services as the REST endpoints.
 */
@RestController
@RequestMapping("/api/v1/jobs")
@Profile({"local", "api"})
public class JobEventsController {
  private final JobService jobs;
  private final JobListing listing;
  private final JobEvents events;
  private final JobTenancy tenancy;

  public JobEventsController(JobService jobs, JobListing listing, JobEvents events, JobTenancy tenancy) {
    this.jobs = jobs;
    this.listing = listing;
    this.events = events;
    this.tenancy = tenancy;
  }

  /**
   * One {@code progress} event for every change of status, step, percent, engine, priority, detail or cost so far,
   * then one {@code result} event with the whole job view (as {@code GET /api/v1/jobs/{id}} answers it) once the job
   * ended; then the stream closes.
   */
  @Operation(summary = "Server-sent events of one job: progress changes, then its result; closes when it ends")
  @GetMapping(value = "/{jobId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter jobEvents(
      @PathVariable String jobId, @RequestAttribute(name = ApiKeyFilter.KEY_NAME, required = false) String keyName,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    tenancy.require(jobId, caller); // another tenant's job is a 404, as in GET /api/v1/jobs/{id}
    JobView first = jobs.view(jobId); // 404 before the stream opens
    return events.open(keyName == null ? "api" : keyName, jobSource(jobs, jobId, first));
  }

  /** A {@code jobs} event with the first page of the filtered list (as {@code GET /api/v1/jobs}) whenever it changes. */
  @Operation(summary = "Server-sent events of the job list: the filtered first page whenever it changes")
  @GetMapping(value = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter listEvents(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String engine,
      @RequestParam(required = false) Integer pageSize,
      @RequestAttribute(name = ApiKeyFilter.KEY_NAME, required = false) String keyName,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    JobFilter all = JobFilter.of(status, engine, null, null, pageSize, null); // 400 before the stream opens
    JobFilter filter = caller == null ? all : all.withTenant(caller.listingTenant()); // a tenant sees only its own
    AtomicReference<JobPage> last = new AtomicReference<>();
    return events.open(
        keyName == null ? "api" : keyName,
        () -> {
          JobPage page = listing.list(filter);
          if (page.equals(last.getAndSet(page))) {
            return JobEvents.Poll.NOTHING;
          }
          return new JobEvents.Poll(List.of(SseEmitter.event().name("jobs").data(page, MediaType.APPLICATION_JSON)), false);
        });
  }

  /** The progress of a job as the stream sends it: what changes while it runs. */
  public record ProgressEvent(
      String jobId, JobStatus status, String step, int percent, String engine, int priority, String detail, Double costUsd) {
    static ProgressEvent of(JobView v) {
      return new ProgressEvent(v.jobId(), v.status(), v.step(), v.percent(), v.engine(), v.priority(), v.detail(), v.costUsd());
    }
  }

  /** Polls one job: a progress event on each change, the result event and the end once it ended. */
  static JobEvents.Source jobSource(JobService jobs, String jobId, JobView first) {
    AtomicReference<JobView> pending = new AtomicReference<>(first);
    AtomicReference<ProgressEvent> last = new AtomicReference<>();
    return () -> {
      JobView view = pending.getAndSet(null);
      if (view == null) {
        view = jobs.view(jobId);
      }
      List<SseEventBuilder> out = new ArrayList<>();
      ProgressEvent p = ProgressEvent.of(view);
      if (!Objects.equals(p, last.getAndSet(p))) {
        out.add(SseEmitter.event().name("progress").id(Integer.toString(p.percent())).data(p, MediaType.APPLICATION_JSON));
      }
      boolean ended = !view.open();
      if (ended) {
        out.add(SseEmitter.event().name("result").data(view, MediaType.APPLICATION_JSON));
      }
      return new JobEvents.Poll(out, ended);
    };
  }
}

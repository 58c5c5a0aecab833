package io.videopipe.ui;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import io.videopipe.security.Caller;
import io.videopipe.clip.ClipOptions;
import io.videopipe.events.JobEvents;
import io.videopipe.highlight.HighlightOptions;
import io.videopipe.jobs.JobConflictException;
import io.videopipe.jobs.JobFilter;
import io.videopipe.jobs.JobListing;
import io.videopipe.jobs.JobPage;
import io.videopipe.jobs.JobService;
import io.videopipe.jobs.JobSubmission;
import io.videopipe.jobs.JobSummary;
import io.videopipe.security.ApiKey;
import io.videopipe.security.ApiKeyFilter;
import io.videopipe.security.KeyStore;
import io.videopipe.uploads.UploadService;
import io.videopipe.uploads.UploadTooLargeException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;

/** Sign-in, the live job list and the submit form of the dashboard; every action goes through the API's services. */
@Controller
@Profile({"local", "api"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class DashboardController {
  static final List<String> STATUSES = List.of("RUNNING", "COMPLETED", "NEEDS_REVIEW", "FAILED", "CANCELLED");
  static final List<String> ENGINES = List.of("local", "parakeet", "deepgram", "parakeet+deepgram");
  static final List<String> ENGINE_MODES = List.of("auto", "local", "parakeet", "deepgram", "hybrid");

  private final KeyStore keys;
  private final JobService jobs;
  private final JobListing listing;
  private final JobEvents events;
  private final UploadService uploads;
  private final TemplateEngine templates;

  public DashboardController(
      KeyStore keys, JobService jobs, JobListing listing, JobEvents events, UploadService uploads,
      TemplateEngine templates) {
    this.keys = keys;
    this.jobs = jobs;
    this.listing = listing;
    this.events = events;
    this.uploads = uploads;
    this.templates = templates;
  }

  @GetMapping("/")
  String root() {
    return "redirect:/ui";
  }

  @GetMapping("/ui")
  String home() {
    return "redirect:/ui/jobs";
  }

  @GetMapping("/ui/login")
  String login(@RequestParam(required = false) String next, @RequestParam(required = false) String signedOut, Model model) {
    model.addAttribute("next", next == null ? "" : next);
    model.addAttribute("signedOut", signedOut != null);
    return "ui/login";
  }

  @PostMapping("/ui/login")
  String signIn(
      @RequestParam(defaultValue = "") String apiKey,
      @RequestParam(defaultValue = "") String next,
      HttpServletRequest request,
      Model model) {
    // Configured and API-created keys alike (KeyStore), and an expired one is refused as the API refuses it.
    Optional<ApiKey> key = apiKey.isBlank() ? Optional.empty() : keys.authenticate(apiKey.trim());
    if (key.isEmpty() || key.get().expiredAt(java.time.Instant.now())) {
      model.addAttribute("next", next);
      model.addAttribute("signedOut", false);
      model.addAttribute(
          "error", apiKey.isBlank() ? "Enter an API key." : "That API key is not one this service accepts.");
      return "ui/login";
    }
    DashboardSession.signIn(request, apiKey.trim(), key.get());
    // only a path of this dashboard: never an open redirect
    return "redirect:" + (next.matches("/ui(/[^/\\\\].*)?") ? next : "/ui/jobs");
  }

  @PostMapping("/ui/logout")
  String signOut(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.invalidate();
    }
    return "redirect:/ui/login?signedOut";
  }

  /** The job list; live through {@code /ui/jobs/stream}. */
  @GetMapping("/ui/jobs")
  String jobs(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String engine,
      @RequestParam(required = false) String q,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller,
      Model model) {
    model.addAttribute("status", status == null ? "" : status);
    model.addAttribute("engine", engine == null ? "" : engine);
    model.addAttribute("q", q == null ? "" : q);
    model.addAttribute("statuses", STATUSES);
    model.addAttribute("engines", ENGINES);
    try {
      JobFilter filter = filter(status, engine, caller);
      model.addAllAttributes(rows(listing.list(filter), q));
      model.addAttribute("streamUrl", "/ui/jobs/stream?" + query(status, engine, q));
    } catch (IllegalArgumentException e) {
      model.addAttribute("error", e.getMessage());
      model.addAttribute("rows", List.of());
    }
    return "ui/jobs";
  }

  /** A {@code rows} event (the list's table body, as HTML) whenever the filtered list changes. */
  @GetMapping(value = "/ui/jobs/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter jobsStream(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String engine,
      @RequestParam(required = false) String q,
      @RequestAttribute(name = ApiKeyFilter.KEY_NAME) String keyName,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    JobFilter filter = filter(status, engine, caller);
    AtomicReference<List<JobSummary>> last = new AtomicReference<>();
    return events.open(
        keyName,
        () -> {
          JobPage page = listing.list(filter);
          if (page.jobs().equals(last.getAndSet(page.jobs()))) {
            return JobEvents.Poll.NOTHING;
          }
          String html = templates.process("ui/fragments", Set.of("rows"), new Context(Locale.ENGLISH, rows(page, q)));
          return new JobEvents.Poll(List.of(SseEmitter.event().name("rows").data(oneLine(html))), false);
        });
  }

  @GetMapping("/ui/submit")
  String submitForm(Model model) {
    model.addAttribute("form", SubmitForm.empty());
    return submitPage(model);
  }

  /** Submits through {@link JobService#submit}: the same validation and messages as {@code POST /api/v1/jobs}. */
  @PostMapping("/ui/jobs")
  String submit(
      @ModelAttribute("form") SubmitForm form,
      @RequestAttribute(name = ApiKeyFilter.KEY_NAME) String keyName,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller,
      Model model) {
    try {
      String jobId = jobs.submit(form.toSubmission(), keyName, null, caller == null ? null : caller.tenant()).jobId();
      return "redirect:/ui/jobs/" + jobId;
    } catch (IllegalArgumentException e) {
      model.addAttribute("error", e.getMessage());
    } catch (JobConflictException e) {
      model.addAttribute("error", e.getMessage());
    }
    return submitPage(model);
  }

  /** The submit form's file field: the raw file as the body, streamed to storage; answers the sourceUrl. */
  @PostMapping(value = "/ui/uploads", consumes = "*/*")
  @ResponseBody
  ResponseEntity<Map<String, Object>> upload(@RequestParam String filename, HttpServletRequest request)
      throws IOException {
    try {
      UploadService.Upload u = uploads.store(filename, request.getContentLengthLong(), request.getInputStream());
      return ResponseEntity.status(HttpStatus.CREATED)
          .body(Map.of("sourceUrl", u.sourceUrl(), "filename", u.filename(), "sizeBytes", u.sizeBytes()));
    } catch (UploadTooLargeException e) {
      return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(Map.of("detail", e.getMessage()));
    } catch (IllegalArgumentException e) {
      return ResponseEntity.badRequest().body(Map.of("detail", e.getMessage()));
    }
  }

  private String submitPage(Model model) {
    model.addAttribute("engineModes", ENGINE_MODES);
    model.addAttribute("maxUploadBytes", uploads.maxBytes());
    model.addAttribute("maxUpload", humanBytes(uploads.maxBytes()));
    return "ui/submit";
  }

  /** The list a key may see: its tenant's jobs (every tenant's for admin keys), as in GET /api/v1/jobs. */
  private static JobFilter filter(String status, String engine, Caller caller) {
    JobFilter all = JobFilter.of(status, engine, null, null, JobFilter.MAX_PAGE_SIZE, null);
    return caller == null ? all : all.withTenant(caller.listingTenant());
  }

  static Map<String, Object> rows(JobPage page, String q) {
    Instant now = Instant.now();
    String needle = q == null ? "" : q.trim().toLowerCase(Locale.ROOT);
    List<JobRow> rows =
        page.jobs().stream()
            .filter(j -> needle.isEmpty()
                || (j.source() != null && j.source().toLowerCase(Locale.ROOT).contains(needle))
                || j.jobId().toLowerCase(Locale.ROOT).contains(needle))
            .map(j -> JobRow.of(j, now))
            .toList();
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("rows", rows);
    vars.put("degraded", Boolean.TRUE.equals(page.degraded()) ? page.reason() : null);
    vars.put("filtered", !needle.isEmpty());
    return vars;
  }

  private static String query(String status, String engine, String q) {
    StringBuilder b = new StringBuilder();
    append(b, "status", status);
    append(b, "engine", engine);
    append(b, "q", q);
    return b.toString();
  }

  private static void append(StringBuilder b, String name, String value) {
    if (value != null && !value.isBlank()) {
      if (!b.isEmpty()) {
        b.append('&');
      }
      b.append(name).append('=').append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** SSE data lines cannot hold raw newlines meaningfully for htmx; the HTML does not need them. */
  static String oneLine(String html) {
    return html.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  static String humanBytes(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
    if (bytes >= 1L << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
    return bytes + " bytes";
  }

  /** The submit form's fields; empty ones mean the API's defaults. */
  public record SubmitForm(
      String sourceUrl, String engine, Integer priority, Double budgetUsd, Integer maxHighlights, Double minSec,
      Double maxSec, Boolean vertical, Double targetLufs, List<String> aspects) {
    static SubmitForm empty() {
      return new SubmitForm("", "auto", 3, null, null, null, null, false, null, null);
    }

    /** Whether the form asks for the frame {@code aspect} (a ticked box of the frames fieldset). */
    public boolean asks(String aspect) {
      return aspects != null && aspects.contains(aspect);
    }

    JobSubmission toSubmission() {
      HighlightOptions highlights = null;
      if (maxHighlights != null || minSec != null || maxSec != null) {
        HighlightOptions d = HighlightOptions.defaults();
        highlights = new HighlightOptions(
            maxHighlights == null ? d.maxCount() : maxHighlights,
            minSec == null ? d.minSec() : minSec,
            maxSec == null ? d.maxSec() : maxSec);
      }
      ClipOptions clips = null;
      boolean several = aspects != null && !aspects.isEmpty();
      if (Boolean.TRUE.equals(vertical) || targetLufs != null || several) {
        List<String> frames = null;
        if (several) {
          // boxes arrive in the form's order; a ticked "vertical" makes 9:16 the primary (ClipOptions judges the rest)
          frames = new java.util.ArrayList<>(aspects);
          if (Boolean.TRUE.equals(vertical) && frames.remove(ClipOptions.VERTICAL)) {
            frames.add(0, ClipOptions.VERTICAL);
          }
        }
        clips = new ClipOptions(
            targetLufs == null ? ClipOptions.DEFAULT_TARGET_LUFS : targetLufs,
            ClipOptions.DEFAULT_MAX_TRUE_PEAK_DBTP, Boolean.TRUE.equals(vertical), false, null, false, frames);
      }
      return JobSubmission.builder(sourceUrl)
          .engine(engine)
          .priority(priority)
          .highlights(highlights)
          .budgetUsd(budgetUsd)
          .clips(clips)
          .build();
    }
  }
}

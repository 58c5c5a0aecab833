package io.videopipe.ui;

import io.videopipe.jobs.JobTenancy;
import io.videopipe.security.Caller;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videopipe.config.VideoPipeProperties;
import io.videopipe.events.JobEvents;
import io.videopipe.jobs.ClipFile;
import io.videopipe.jobs.ClipNotFoundException;
import io.videopipe.jobs.JobArtifacts;
import io.videopipe.jobs.JobConflictException;
import io.videopipe.jobs.JobNotFoundException;
import io.videopipe.jobs.JobService;
import io.videopipe.jobs.JobView;
import io.videopipe.jobs.TranscriptFormat;
import io.videopipe.pipeline.JobResult;
import io.videopipe.highlight.Highlight;
import io.videopipe.clip.ClipFormat;
import io.videopipe.clip.RenderedClip;
import io.videopipe.pipeline.JobPaths;
import io.videopipe.security.ApiKeyFilter;
import io.videopipe.security.Scope;
import io.videopipe.transcribe.Transcript;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;

/** One job: live status, its steps, transcript, clips, QA and cost; cancel and reprioritise through JobService. */
@Controller
@Profile({"local", "api"})
public class JobPageController {
  private final JobService jobs;
  private final JobArtifacts artifacts;
  private final JobEvents events;
  private final TemplateEngine templates;
  private final ObjectMapper json;
  private final UiProperties ui;
  private final VideoPipeProperties props;
  private final JobTenancy tenancy;

  public JobPageController(
      JobService jobs, JobArtifacts artifacts, JobEvents events, TemplateEngine templates, ObjectMapper json,
      UiProperties ui, VideoPipeProperties props, JobTenancy tenancy) {
    this.jobs = jobs;
    this.artifacts = artifacts;
    this.events = events;
    this.templates = templates;
    this.json = json;
    this.ui = ui;
    this.props = props;
    this.tenancy = tenancy;
  }

  /** Another tenant's job is answered as if it did not exist, as in the REST API. */
  @ModelAttribute
  void tenantOwnsJob(
      @PathVariable(required = false) String jobId,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller) {
    if (jobId != null) {
      tenancy.require(jobId, caller);
    }
  }

  @GetMapping("/ui/jobs/{jobId}")
  String job(@PathVariable String jobId, Model model) {
    JobView view = jobs.view(jobId);
    model.addAttribute("m", model(view));
    model.addAttribute("job", view);
    model.addAttribute("running", view.open());
    return "ui/job";
  }

  /**
   * The cancel and priority forms while the job is open, nothing once it has ended: fetched when the stream says the
   * job ended, so a page opened on a running job stops offering them.
   */
  @GetMapping("/ui/jobs/{jobId}/actions")
  String actions(@PathVariable String jobId, Model model) {
    JobView view = jobs.view(jobId);
    model.addAttribute("job", view);
    model.addAttribute("running", view.open());
    return "ui/job :: actions";
  }

  /** The results part of the page, fetched once the stream says the job ended. */
  @GetMapping("/ui/jobs/{jobId}/results")
  String results(@PathVariable String jobId, Model model) {
    model.addAttribute("m", model(jobs.view(jobId)));
    return "ui/job :: results";
  }

  /** {@code status} events (the status panel as HTML) on each change, then {@code done} once the job ended. */
  @GetMapping(value = "/ui/jobs/{jobId}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter stream(
      @PathVariable String jobId,
      @RequestAttribute(name = ApiKeyFilter.KEY_NAME) String keyName,
      HttpServletRequest request) {
    JobView first = jobs.view(jobId);
    boolean canSubmit = DashboardSession.scopes(request).contains(Scope.SUBMIT);
    String csrf = DashboardSession.csrfToken(request);
    AtomicReference<JobView> pending = new AtomicReference<>(first);
    AtomicReference<String> last = new AtomicReference<>();
    return events.open(
        keyName,
        () -> {
          JobView view = pending.getAndSet(null);
          if (view == null) {
            view = jobs.view(jobId);
          }
          List<SseEmitter.SseEventBuilder> out = new ArrayList<>();
          Map<String, Object> vars = new HashMap<>();
          vars.put("m", model(view));
          vars.put("running", view.open());
          vars.put("canSubmit", canSubmit);
          vars.put("csrf", csrf);
          vars.put("csrfField", DashboardSession.CSRF_FIELD);
          String html =
              DashboardController.oneLine(
                  templates.process("ui/job", Set.of("status"), new Context(Locale.ENGLISH, vars)));
          if (!Objects.equals(html, last.getAndSet(html))) {
            out.add(SseEmitter.event().name("status").data(html));
          }
          boolean ended = !view.open();
          if (ended) {
            out.add(SseEmitter.event().name("done").data(view.status().name()));
          }
          return new JobEvents.Poll(out, ended);
        });
  }

  @PostMapping("/ui/jobs/{jobId}/cancel")
  String cancel(@PathVariable String jobId, @RequestParam(defaultValue = "") String reason, RedirectAttributes flash) {
    try {
      jobs.cancel(jobId, reason.isBlank() ? "cancelled from the dashboard" : reason.trim());
      flash.addFlashAttribute("notice", "Cancel requested; the job stops at its next step boundary.");
    } catch (JobConflictException e) {
      flash.addFlashAttribute("actionError", e.getMessage());
    }
    return "redirect:/ui/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8);
  }

  @PostMapping("/ui/jobs/{jobId}/priority")
  String priority(@PathVariable String jobId, @RequestParam(required = false) Integer priority, RedirectAttributes flash) {
    try {
      jobs.reprioritize(jobId, priority == null ? 0 : priority);
      flash.addFlashAttribute("notice", "Priority " + priority + " applies to the job's next steps.");
    } catch (IllegalArgumentException | JobConflictException e) {
      flash.addFlashAttribute("actionError", e.getMessage());
    }
    return "redirect:/ui/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8);
  }

  @ExceptionHandler(JobNotFoundException.class)
  String notFound(JobNotFoundException e, Model model, HttpServletRequest request) {
    DashboardPageModel.addTo(request, model);
    model.addAttribute("title", "No such job");
    model.addAttribute("message", e.getMessage());
    return "ui/error";
  }

  JobPageModel model(JobView view) {
    JobResult r = view.result();
    String jobId = view.jobId();
    List<JobPageModel.Line> transcript = List.of();
    String transcriptNote = null;
    if (view.open()) {
      transcriptNote = "The transcript appears here once the job has ended.";
    } else if (r == null || r.transcription() == null) {
      transcriptNote = "This job ended before it had a transcript.";
    } else {
      try (InputStream in = artifacts.transcript(jobId, TranscriptFormat.JSON).body()) {
        transcript = JobPageModel.lines(json.readValue(in, Transcript.class).words());
        if (transcript.isEmpty()) {
          transcriptNote = "No words were recognised in this video.";
        }
      } catch (JobConflictException e) {
        transcriptNote = e.getMessage().contains("no longer in storage")
            ? "The transcript is no longer in storage." : e.getMessage();
      } catch (IOException | UncheckedIOException e) {
        transcriptNote = "The transcript could not be read: " + e.getMessage();
      }
    }
    List<JobPageModel.ClipView> clips = new ArrayList<>();
    if (r != null && r.highlights() != null) {
      Map<Integer, RenderedClip> rendered = new HashMap<>();
      if (r.clips() != null) {
        r.clips().forEach(c -> rendered.put(c.rank(), c));
      }
      String base = "/api/v1/jobs/" + jobId + "/clips/";
      for (Highlight h : r.highlights()) {
        RenderedClip c = rendered.get(h.rank());
        clips.add(new JobPageModel.ClipView(
            h.rank(), h.title() == null ? "Highlight " + h.rank() : h.title(),
            String.format(Locale.ROOT, "%.2f", h.score()), h.startSec(), h.endSec(),
            JobRow.clock(h.startSec()) + "–" + JobRow.clock(h.endSec()), h.text(),
            base + new ClipFile(h.rank(), "vtt", null).urlName(), frames(jobId, h.rank(), c)));
      }
    }
    // The job view's own link (the local CLI server's UI, or videopipe.temporal.ui-url); videopipe.ui.temporal-ui-url
    // still overrides it for a dashboard reached through another address.
    String link = ui.temporalUiUrl() == null || ui.temporalUiUrl().isBlank()
        ? (view.links() == null ? null : view.links().get("temporalUi"))
        : ui.temporalUiUrl().replaceAll("/+$", "") + "/namespaces/"
            + URLEncoder.encode(props.temporal().namespace(), StandardCharsets.UTF_8) + "/workflows/"
            + URLEncoder.encode(jobId, StandardCharsets.UTF_8);
    return new JobPageModel(
        view,
        r == null || r.source() == null ? null : r.source().uri(),
        JobPageModel.timeline(view),
        r == null || r.transcription() == null ? null : r.transcription().plan(),
        r == null || r.transcription() == null || r.transcription().fallbacks() == null ? List.of()
            : r.transcription().fallbacks(),
        transcript,
        transcriptNote,
        clips,
        r == null || r.qa() == null ? List.of() : JobPageModel.qaFailedFirst(r.qa().checks()),
        r == null || r.qa() == null ? null : r.qa().passed(),
        r == null || r.cost() == null ? List.of() : r.cost().lines(),
        JobRow.usd(view.costUsd()),
        r == null || r.cost() == null || r.cost().alternatives() == null ? List.of()
            : JobPageModel.bars(r.cost().alternatives()),
        link);
  }

  /**
   * The clip's files: every frame of {@code result.clips[].formats} (the primary first, at the clip's own path), or
   * the one primary file; each served by the clip endpoint under the same tenancy check.
   */
  private List<JobPageModel.Frame> frames(String jobId, int rank, RenderedClip clip) {
    String base = "/api/v1/jobs/" + jobId + "/clips/";
    String download = "Download clip " + rank;
    ClipFile primary = new ClipFile(rank, "mp4", null);
    if (clip == null || clip.formats() == null || clip.formats().size() < 2) {
      return List.of(new JobPageModel.Frame(
          null, null, "clip-" + rank, base + primary.urlName(), clip != null && exists(jobId, primary), true, download));
    }
    List<JobPageModel.Frame> frames = new ArrayList<>();
    for (int i = 0; i < clip.formats().size(); i++) {
      ClipFormat f = clip.formats().get(i);
      ClipFile file = i == 0 ? primary : new ClipFile(rank, "mp4", f.aspect());
      String label = JobPageModel.frameLabel(f);
      frames.add(new JobPageModel.Frame(
          label, f.width() > 0 ? f.width() + "×" + f.height() : null,
          i == 0 ? "clip-" + rank : "clip-" + rank + "-" + JobPaths.aspectTag(f.aspect()),
          base + file.urlName(), exists(jobId, file), i == 0, download + " (" + label + ")"));
    }
    return frames;
  }

  private boolean exists(String jobId, ClipFile file) {
    try {
      artifacts.clip(jobId, file);
      return true;
    } catch (ClipNotFoundException e) {
      return false;
    }
  }
}

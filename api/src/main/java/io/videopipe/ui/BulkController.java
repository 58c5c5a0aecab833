package io.videopipe.ui;

import io.videopipe.security.Caller;
import io.videopipe.bulk.ReprocessService;
import io.videopipe.bulk.ReprocessSpec;
import io.videopipe.bulk.ScheduleRequest;
import io.videopipe.bulk.ScheduleService;
import io.videopipe.route.EngineMode;
import io.videopipe.security.ApiKeyFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Bulk reprocessing runs and schedules through {@link ReprocessService} and {@link ScheduleService}, the services of
 * {@code /api/v1/reprocess} and {@code /api/v1/schedules} (admin scope, as there). There is no listing of bulk runs:
 * the page follows the runs started in this session.
 */
@Controller
@Profile({"local", "api"})
public class BulkController {
  static final String RUNS = "videopipe.ui.bulkRuns";

  private final ReprocessService reprocess;
  private final ScheduleService schedules;

  public BulkController(ReprocessService reprocess, ScheduleService schedules) {
    this.reprocess = reprocess;
    this.schedules = schedules;
  }

  @GetMapping("/ui/bulk")
  String page(HttpServletRequest request, @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller, Model model) {
    model.addAttribute("runs", runs(request, caller));
    try {
      Map<String, Object> list = schedules.list(caller);
      model.addAttribute("schedules", list.get("schedules"));
      model.addAttribute("schedulesNote", list.get("degraded"));
    } catch (RuntimeException e) {
      model.addAttribute("schedules", List.of());
      model.addAttribute("schedulesNote", e.getMessage());
    }
    return "ui/bulk";
  }

  /** The runs table alone, polled by the page while it is open. */
  @GetMapping("/ui/bulk/runs")
  String runsFragment(HttpServletRequest request, @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller, Model model) {
    model.addAttribute("runs", runs(request, caller));
    return "ui/bulk :: runs";
  }

  @PostMapping("/ui/bulk/runs")
  String start(
      @RequestParam(defaultValue = "") String prefix,
      @RequestParam(defaultValue = "") String sourceEngine,
      @RequestParam(defaultValue = "auto") String engine,
      @RequestParam(required = false) Integer concurrency,
      @RequestAttribute(name = ApiKeyFilter.KEY_NAME) String keyName,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller,
      HttpServletRequest request,
      RedirectAttributes flash) {
    try {
      String tenant = caller == null ? null : caller.tenant();
      String id = reprocess.start(spec(prefix, sourceEngine, engine, concurrency).toRequest(keyName, tenant));
      remember(request, id);
      flash.addFlashAttribute("notice", "Bulk run " + id + " started.");
    } catch (RuntimeException e) {
      flash.addFlashAttribute("actionError", e.getMessage());
    }
    return "redirect:/ui/bulk";
  }

  @PostMapping("/ui/bulk/schedules")
  String create(
      @RequestParam(defaultValue = "") String id,
      @RequestParam(defaultValue = "") String cron,
      @RequestParam(defaultValue = "") String interval,
      @RequestParam(defaultValue = "") String prefix,
      @RequestParam(defaultValue = "") String sourceEngine,
      @RequestParam(defaultValue = "auto") String engine,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller,
      RedirectAttributes flash) {
    try {
      schedules.create(new ScheduleRequest(id.trim(), blank(cron), blank(interval),
          spec(prefix, sourceEngine, engine, null)), caller == null ? null : caller.tenant());
      flash.addFlashAttribute("notice", "Schedule " + id + " created.");
    } catch (RuntimeException e) {
      flash.addFlashAttribute("actionError", e.getMessage());
    }
    return "redirect:/ui/bulk";
  }

  @PostMapping("/ui/bulk/schedules/{id}/{action}")
  String act(@PathVariable String id, @PathVariable String action, RedirectAttributes flash) {
    try {
      switch (action) {
        case "pause" -> schedules.pause(id, "paused from the dashboard");
        case "unpause" -> schedules.unpause(id);
        case "trigger" -> schedules.trigger(id);
        case "delete" -> schedules.delete(id);
        default -> throw new IllegalArgumentException("unknown schedule action '" + action + "'");
      }
      flash.addFlashAttribute("notice", "Schedule " + id + ": " + action + " done.");
    } catch (RuntimeException e) {
      flash.addFlashAttribute("actionError", e.getMessage());
    }
    return "redirect:/ui/bulk";
  }

  private static ReprocessSpec spec(String prefix, String sourceEngine, String engine, Integer concurrency) {
    return new ReprocessSpec(blank(prefix), blank(sourceEngine), null, null, concurrency, EngineMode.parse(engine),
        null, null, null, null, null);
  }

  private List<ReprocessService.BulkView> runs(HttpServletRequest request, Caller caller) {
    List<ReprocessService.BulkView> views = new ArrayList<>();
    for (String id : ids(request)) {
      try {
        views.add(reprocess.view(id, caller));
      } catch (RuntimeException e) {
        views.add(new ReprocessService.BulkView(id, "UNKNOWN: " + e.getMessage(), null, null, null));
      }
    }
    return views;
  }

  @SuppressWarnings("unchecked")
  private static List<String> ids(HttpServletRequest request) {
    HttpSession s = request.getSession(false);
    Object v = s == null ? null : s.getAttribute(RUNS);
    return v == null ? List.of() : List.copyOf((List<String>) v);
  }

  private static void remember(HttpServletRequest request, String id) {
    List<String> ids = new ArrayList<>(ids(request));
    ids.add(0, id);
    request.getSession().setAttribute(RUNS, ids);
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}

package io.videopipe.ui;

import org.springframework.web.bind.annotation.RequestAttribute;
import io.videopipe.security.Caller;
import io.videopipe.jobs.JobFilter;
import io.videopipe.jobs.JobListing;
import io.videopipe.jobs.JobPage;
import io.videopipe.jobs.JobSummary;
import jakarta.servlet.http.HttpServletRequest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Jobs and cost per day and per engine over a period, from the same listing as {@code GET /api/v1/jobs}. */
@Controller
@Profile({"local", "api"})
public class UsageController {
  /** Pages of 100 read at most for one report: beyond that the report says it is partial. */
  static final int MAX_PAGES = 50;

  private final JobListing listing;

  public UsageController(JobListing listing) {
    this.listing = listing;
  }

  @GetMapping("/ui/usage")
  String usage(
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller,
      HttpServletRequest request,
      Model model) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String f = from == null || from.isBlank() ? today.minusDays(6).toString() : from.trim();
    String t = to == null || to.isBlank() ? today.toString() : to.trim();
    model.addAttribute("from", f);
    model.addAttribute("to", t);
    try {
      // "to" is a whole day: up to the start of the next one
      String toExclusive = t.length() == 10 ? LocalDate.parse(t).plusDays(1).toString() : t;
      List<JobSummary> jobs = new ArrayList<>();
      String token = null;
      int pages = 0;
      JobPage page;
      do {
        JobFilter all = JobFilter.of(null, null, f, toExclusive, JobFilter.MAX_PAGE_SIZE, token);
        page = listing.list(caller == null ? all : all.withTenant(caller.listingTenant())); // a tenant's own usage
        jobs.addAll(page.jobs());
        token = page.nextPageToken();
      } while (token != null && ++pages < MAX_PAGES);
      model.addAttribute("usage", Usage.of(jobs));
      model.addAttribute("partial", token != null);
      model.addAttribute("degraded", Boolean.TRUE.equals(page.degraded()) ? page.reason() : null);
    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
      model.addAttribute("error", e.getMessage());
    }
    return "ui/usage";
  }
}

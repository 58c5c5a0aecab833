package io.videopipe.ui;

import io.videopipe.security.Scope;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Every dashboard page knows who is signed in, what they may do, and the CSRF token for its forms. */
@ControllerAdvice(assignableTypes = {
    DashboardController.class, JobPageController.class, BulkController.class, UsageController.class})
class DashboardPageModel {
  @ModelAttribute
  void common(HttpServletRequest request, Model model) {
    addTo(request, model);
  }

  /** For the pages an exception handler renders, whose model the advice does not fill. */
  static void addTo(HttpServletRequest request, Model model) {
    Set<Scope> scopes = DashboardSession.scopes(request);
    model.addAttribute("keyName", DashboardSession.keyName(request));
    model.addAttribute("canSubmit", scopes.contains(Scope.SUBMIT));
    model.addAttribute("canAdmin", scopes.contains(Scope.ADMIN));
    model.addAttribute("csrf", DashboardSession.csrfToken(request));
    model.addAttribute("csrfField", DashboardSession.CSRF_FIELD);
    model.addAttribute("csrfHeader", DashboardSession.CSRF_HEADER);
  }
}

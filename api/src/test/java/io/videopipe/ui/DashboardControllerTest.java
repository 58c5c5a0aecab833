package io.videopipe.ui;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.videopipe.config.VideoPipeProperties;
import io.videopipe.events.JobEvents;
import io.videopipe.jobs.JobArtifacts;
import io.videopipe.jobs.JobListing;
import io.videopipe.jobs.JobPage;
import io.videopipe.jobs.JobService;
import io.videopipe.jobs.JobSubmission;
import io.videopipe.security.ApiSecurityConfiguration;
import io.videopipe.uploads.UploadService;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The dashboard's controllers behind the real API key filter and session filter, the services mocked: sign-in,
 * CSRF on every form, and a key's scopes applied to the dashboard as to the API.
 */
@WebMvcTest({DashboardController.class, JobPageController.class})
@Import({ApiSecurityConfiguration.class, DashboardConfiguration.class, io.videopipe.security.TempKeyStorage.class})
@EnableConfigurationProperties(VideoPipeProperties.class)
@TestPropertySource(
    properties = {
      "videopipe.security.keys[0].name=viewer",
      "videopipe.security.keys[0].sha256=" + DashboardControllerTest.READ_SHA,
      "videopipe.security.keys[0].scopes=read",
      "videopipe.security.keys[1].name=editor",
      "videopipe.security.keys[1].sha256=" + DashboardControllerTest.SUBMIT_SHA,
      "videopipe.security.keys[1].scopes=read,submit"
    })
class DashboardControllerTest {
  static final String READ_KEY = "read-key-1";
  static final String SUBMIT_KEY = "submit-key-1";
  // printf %s read-key-1 | sha256sum ; printf %s submit-key-1 | sha256sum
  static final String READ_SHA = "dbcd5e009dfc994389cebba068514d9b6af315f9084e644459d32dcda12b3311";
  static final String SUBMIT_SHA = "9773cfeb9562dcf9aa921d27afe4498cd44f16b691bb6c09033047337919846d";

  @Autowired MockMvc mvc;
  @MockitoBean JobService jobs;
  @MockitoBean JobListing listing;
  @MockitoBean JobEvents events;
  @MockitoBean UploadService uploads;
  @MockitoBean JobArtifacts artifacts;
  @MockitoBean io.videopipe.jobs.JobTenancy tenancy;

  record Session(MockHttpSession session, String csrf) {}

  Session signIn(String key) throws Exception {
    MockHttpSession session = new MockHttpSession();
    String csrf = csrfOf(mvc.perform(get("/ui/login").session(session)).andExpect(status().isOk()).andReturn());
    MvcResult r =
        mvc.perform(post("/ui/login").session(session).param("_csrf", csrf).param("apiKey", key))
            .andExpect(status().is3xxRedirection())
            .andExpect(redirectedUrl("/ui/jobs"))
            .andReturn();
    MockHttpSession signedIn = (MockHttpSession) r.getRequest().getSession(false);
    String token = csrfOf(mvc.perform(get("/ui/submit").session(signedIn)).andReturn());
    return new Session(signedIn, token);
  }

  static String csrfOf(MvcResult r) throws Exception {
    Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(r.getResponse().getContentAsString());
    if (!m.find()) {
      throw new AssertionError("no CSRF field in " + r.getResponse().getContentAsString());
    }
    return m.group(1);
  }

  @Test
  void pagesNeedASignInAndTheRootLeadsToTheDashboard() throws Exception {
    mvc.perform(get("/")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/ui"));
    mvc.perform(get("/ui/jobs")).andExpect(status().is3xxRedirection())
        .andExpect(redirectedUrl("/ui/login?next=%2Fui%2Fjobs"));
    mvc.perform(get("/ui/jobs").header("HX-Request", "true"))
        .andExpect(status().isUnauthorized())
        .andExpect(header().string("HX-Redirect", "/ui/login"));
  }

  @Test
  void aWrongKeyIsRefusedWithAMessage() throws Exception {
    MockHttpSession session = new MockHttpSession();
    String csrf = csrfOf(mvc.perform(get("/ui/login").session(session)).andReturn());
    mvc.perform(post("/ui/login").session(session).param("_csrf", csrf).param("apiKey", "nope"))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("not one this service accepts")));
  }

  @Test
  void formsWithoutTheCsrfTokenAreRefused() throws Exception {
    Session s = signIn(SUBMIT_KEY);
    mvc.perform(post("/ui/jobs").session(s.session()).param("sourceUrl", "https://example.com/a.mp4"))
        .andExpect(status().isForbidden());
    mvc.perform(post("/ui/jobs").session(s.session()).param("_csrf", "forged").param("sourceUrl", "https://x/a.mp4"))
        .andExpect(status().isForbidden());
    mvc.perform(post("/ui/jobs/j1/cancel").session(s.session())).andExpect(status().isForbidden());
    // nor does signing in work without the token of the sign-in form
    mvc.perform(post("/ui/login").param("apiKey", SUBMIT_KEY)).andExpect(status().isForbidden());
    verify(jobs, never()).submit(any(), anyString(), any(), any());
    verify(jobs, never()).cancel(anyString(), anyString());
  }

  @Test
  void aReadKeySeesButCannotSubmitOrCancel() throws Exception {
    when(listing.list(any())).thenReturn(new JobPage(List.of(), null, "q", null, null));
    Session s = signIn(READ_KEY);
    mvc.perform(get("/ui/jobs").session(s.session()))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("No jobs yet")));
    mvc.perform(post("/ui/jobs").session(s.session()).param("_csrf", s.csrf()).param("sourceUrl", "https://x/a.mp4"))
        .andExpect(status().isForbidden())
        .andExpect(content().string(containsString("lacks the 'submit' scope")));
    mvc.perform(post("/ui/jobs/j1/cancel").session(s.session()).param("_csrf", s.csrf()))
        .andExpect(status().isForbidden());
    verify(jobs, never()).submit(any(), anyString(), any(), any());
    verify(jobs, never()).cancel(anyString(), anyString());
  }

  @Test
  void aSubmitKeySubmitsThroughTheJobServiceWithItsMessages() throws Exception {
    Session s = signIn(SUBMIT_KEY);
    when(jobs.submit(any(JobSubmission.class), eq("editor"), any(), any())).thenReturn(new JobService.Started("job-1", false));
    mvc.perform(post("/ui/jobs").session(s.session()).param("_csrf", s.csrf())
            .param("sourceUrl", "https://example.com/a.mp4").param("engine", "local").param("priority", "2"))
        .andExpect(status().is3xxRedirection())
        .andExpect(redirectedUrl("/ui/jobs/job-1"));
    when(jobs.submit(any(JobSubmission.class), eq("editor"), any(), any()))
        .thenThrow(new IllegalArgumentException("budgetUsd must be a positive number of US dollars, was -1.0"));
    mvc.perform(post("/ui/jobs").session(s.session()).param("_csrf", s.csrf())
            .param("sourceUrl", "https://example.com/a.mp4").param("budgetUsd", "-1"))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("budgetUsd must be a positive number of US dollars, was -1.0")));
  }

  @Test
  void signingOutEndsTheSession() throws Exception {
    Session s = signIn(READ_KEY);
    mvc.perform(post("/ui/logout").session(s.session()).param("_csrf", s.csrf()))
        .andExpect(redirectedUrl("/ui/login?signedOut"));
    mvc.perform(get("/ui/jobs").session(s.session())).andExpect(status().is3xxRedirection());
  }

  @Test
  void theSessionServesGetsOfTheApiButNeverChangesThroughIt() throws Exception {
    Session s = signIn(SUBMIT_KEY);
    // a changing API call with only the session cookie carries no key
    mvc.perform(post("/api/v1/jobs/j1/cancel").session(s.session()).param("_csrf", s.csrf()))
        .andExpect(status().isUnauthorized());
    verify(jobs, never()).cancel(anyString(), anyString());
  }
}

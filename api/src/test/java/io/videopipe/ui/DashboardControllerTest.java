package io.videopipe.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.videopipe.config.VideoPipeProperties;
import io.videopipe.events.JobEvents;
import io.videopipe.clip.ClipFormat;
import io.videopipe.clip.RenderedClip;
import io.videopipe.highlight.Highlight;
import io.videopipe.jobs.ClipFile;
import io.videopipe.jobs.ClipNotFoundException;
import io.videopipe.jobs.JobArtifacts;
import io.videopipe.jobs.JobConflictException;
import io.videopipe.jobs.JobListing;
import io.videopipe.jobs.JobPage;
import io.videopipe.jobs.JobService;
import io.videopipe.jobs.JobSubmission;
import io.videopipe.jobs.JobView;
import io.videopipe.pipeline.JobResult;
import io.videopipe.pipeline.JobStatus;
import io.videopipe.security.ApiSecurityConfiguration;
import io.videopipe.uploads.UploadService;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * CSRF on every form, a key's scopes applied to the dashboard as to the API, what the job page offers for an open and
 * an ended job, and every frame of a clip linked to the clip endpoint that serves it.
 */
@WebMvcTest({DashboardController.class, JobPageController.class, io.videopipe.jobs.JobController.class})
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

  /** A job in {@code status}: one highlight whose clip was rendered in {@code formats} (null: one frame). */
  static JobView job(String jobId, JobStatus status, List<ClipFormat> formats) {
    boolean ended = status != JobStatus.RUNNING;
    JobResult result = !ended ? null : new JobResult(jobId, status, null, null,
        List.of(new Highlight(1, 2.0, 14.0, 0.8, "welcome to this short talk", Map.of(), "Welcome")),
        List.of(new RenderedClip(1, "file:///c/clip-01.mp4", "file:///c/clip-01.srt", "file:///c/clip-01.vtt", 2, 14,
            12, true, -14, -1.5, 1, 3, 1000, RenderedClip.FRAMING_SOURCE, false, formats)),
        null, null, Map.of(), Map.of(), null);
    return new JobView(jobId, status, ended ? "DONE" : "TRANSCRIBE", ended ? 100 : 40, "local", 3, null, 0.001,
        result, null, Instant.parse("2026-12-02T08:00:00Z"), ended ? Instant.parse("2026-12-02T08:01:00Z") : null,
        null, null);
  }

  static ClipFormat format(String aspect, String fileName, int width, int height) {
    return new ClipFormat(aspect, fileName, "file:///c/" + fileName, width, height, -14, -1.5, 1000, "centre", null, 2);
  }

  @Test
  void anOpenJobOffersCancelAndReprioritiseAndAnEndedOneNeither() throws Exception {
    Session s = signIn(SUBMIT_KEY);
    when(jobs.view("live-job")).thenReturn(job("live-job", JobStatus.RUNNING, null));
    mvc.perform(get("/ui/jobs/live-job").session(s.session()))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("id=\"cancel\"")))
        .andExpect(content().string(containsString("id=\"reprioritise\"")))
        // when the stream says the job ended, the page asks the server for the forms again
        .andExpect(content().string(containsString("hx-get=\"/ui/jobs/live-job/actions\"")));
    mvc.perform(get("/ui/jobs/live-job/actions").session(s.session()))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("Cancel job")))
        .andExpect(content().string(containsString("Reprioritise")));

    for (JobStatus ended : List.of(JobStatus.COMPLETED, JobStatus.NEEDS_REVIEW, JobStatus.FAILED, JobStatus.CANCELLED)) {
      when(jobs.view("ended-job")).thenReturn(job("ended-job", ended, null));
      mvc.perform(get("/ui/jobs/ended-job").session(s.session()))
          .andExpect(status().isOk())
          .andExpect(content().string(containsString(ended.name())))
          .andExpect(content().string(not(containsString("Cancel job"))))
          .andExpect(content().string(not(containsString("Reprioritise"))));
      String actions = mvc.perform(get("/ui/jobs/ended-job/actions").session(s.session()))
          .andExpect(status().isOk())
          .andReturn().getResponse().getContentAsString();
      assertThat(actions).as("the forms for a job that is " + ended).isBlank();
    }
  }

  @Test
  void steeringAnEndedJobShowsTheServicesRefusalNotASuccess() throws Exception {
    Session s = signIn(SUBMIT_KEY);
    String cancelRefused = "job 'ended-job' has already ended; only a running job can be cancelled";
    org.mockito.Mockito.doThrow(new JobConflictException("Job has ended", cancelRefused))
        .when(jobs).cancel(eq("ended-job"), anyString());
    mvc.perform(post("/ui/jobs/ended-job/cancel").session(s.session()).param("_csrf", s.csrf()))
        .andExpect(redirectedUrl("/ui/jobs/ended-job"))
        .andExpect(flash().attribute("actionError", cancelRefused))
        .andExpect(flash().attributeCount(1));
    String priorityRefused = "job 'ended-job' has already ended; only a running job can be reprioritised";
    org.mockito.Mockito.doThrow(new JobConflictException("Job has ended", priorityRefused))
        .when(jobs).reprioritize("ended-job", 1);
    mvc.perform(post("/ui/jobs/ended-job/priority").session(s.session()).param("_csrf", s.csrf()).param("priority", "1"))
        .andExpect(redirectedUrl("/ui/jobs/ended-job"))
        .andExpect(flash().attribute("actionError", priorityRefused))
        .andExpect(flash().attributeCount(1));
    // the page shows the refusal as an alert
    when(jobs.view("ended-job")).thenReturn(job("ended-job", JobStatus.COMPLETED, null));
    mvc.perform(get("/ui/jobs/ended-job").session(s.session()).flashAttr("actionError", cancelRefused))
        .andExpect(content().string(containsString("role=\"alert\"")))
        .andExpect(content().string(containsString("has already ended; only a running job can be cancelled")));
  }

  @Test
  void everyFrameOfAClipIsShownLabelledAndItsLinkServesThatFile() throws Exception {
    Session s = signIn(READ_KEY);
    when(jobs.view("fmt-job")).thenReturn(job("fmt-job", JobStatus.COMPLETED, List.of(
        format("source", "clip-01.mp4", 426, 240),
        format("9:16", "clip-01-9x16.mp4", 202, 360),
        format("1:1", "clip-01-1x1.mp4", 360, 360))));
    // each file's body is its stored name, so a link proves which file it reaches
    when(artifacts.clip(eq("fmt-job"), any(ClipFile.class))).thenAnswer(inv -> {
      byte[] name = inv.getArgument(1, ClipFile.class).fileName().getBytes(StandardCharsets.UTF_8);
      return new JobArtifacts.StoredFile(name.length, inv.getArgument(1, ClipFile.class).mediaType(), "f.mp4",
          offset -> new ByteArrayInputStream(name, (int) offset, name.length - (int) offset));
    });
    String page = mvc.perform(get("/ui/jobs/fmt-job").session(s.session()))
        .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("16:9", "/api/v1/jobs/fmt-job/clips/1.mp4");
    expected.put("9:16", "/api/v1/jobs/fmt-job/clips/1-9x16.mp4");
    expected.put("1:1", "/api/v1/jobs/fmt-job/clips/1-1x1.mp4");
    Map<String, String> stored =
        Map.of("16:9", "clip-01.mp4", "9:16", "clip-01-9x16.mp4", "1:1", "clip-01-1x1.mp4");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Matcher frame = Pattern.compile("(?s)<figure class=\"frame\" data-frame=\"" + Pattern.quote(e.getKey())
          + "\">(.*?)</figure>").matcher(page);
      assertThat(frame.find()).as("a frame labelled " + e.getKey() + " in " + page).isTrue();
      String html = frame.group(1);
      assertThat(html).contains("<video", "src=\"" + e.getValue() + "\"", "href=\"" + e.getValue() + "\"",
          ">" + e.getKey() + "</span>", "Download clip 1 (" + e.getKey() + ")");
      MvcResult file = mvc.perform(get(e.getValue()).session(s.session()))
          .andExpect(status().isOk()).andReturn();
      assertThat(file.getResponse().getContentType()).isEqualTo("video/mp4");
      assertThat(file.getResponse().getContentAsString()).isEqualTo(stored.get(e.getKey()));
    }
    assertThat(page).contains("202×360", "360×360", "426×240", "id=\"clip-1\"", "id=\"clip-1-9x16\"",
        "id=\"clip-1-1x1\"");

    // a frame gone from storage says so; the others still play
    when(artifacts.clip("fmt-job", new ClipFile(1, "mp4", "1:1"))).thenThrow(new ClipNotFoundException("gone"));
    mvc.perform(get("/ui/jobs/fmt-job").session(s.session()))
        .andExpect(content().string(containsString("The 1:1 file is no longer in storage.")))
        .andExpect(content().string(not(containsString("id=\"clip-1-1x1\""))))
        .andExpect(content().string(containsString("id=\"clip-1-9x16\"")));

    // a clip of one frame keeps its one player and download button, unlabelled
    when(jobs.view("one-job")).thenReturn(job("one-job", JobStatus.COMPLETED, null));
    mvc.perform(get("/ui/jobs/one-job").session(s.session()))
        .andExpect(content().string(containsString("src=\"/api/v1/jobs/one-job/clips/1.mp4\"")))
        .andExpect(content().string(containsString(">Download clip 1</a>")))
        .andExpect(content().string(not(containsString("data-frame="))));
  }
}

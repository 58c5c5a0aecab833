package io.videopipe.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.videopipe.jobs.JobArtifacts;
import io.videopipe.jobs.JobController;
import io.videopipe.jobs.JobListing;
import io.videopipe.jobs.JobService;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/** API keys, scopes, rate limits and body limits in front of the jobs API; the services mocked. */
@WebMvcTest(JobController.class)
@Import({ApiSecurityConfiguration.class, TempKeyStorage.class})
@TestPropertySource(
    properties = {
      "videopipe.security.keys[0].name=reader",
      "videopipe.security.keys[0].sha256=ec4408df15da46b328f6f3246fa723d0aa6cb0f0a0dd9c4626080ab1b02aa3b2",
      "videopipe.security.keys[0].scopes=read",
      "videopipe.security.keys[1].name=ci-submitter",
      "videopipe.security.keys[1].sha256=18971024A5AE24558D31F79B7A229F7BDE254D7D2E706E0C9F3AF0AC8F200EB3",
      "videopipe.security.keys[1].scopes=read,submit",
      "videopipe.security.keys[2].name=limited",
      "videopipe.security.keys[2].sha256=f33b2500796d61f96eeef0f5331ddc40c17e434aff139f4d9e00bfe75170d87a",
      "videopipe.security.keys[2].scopes=read",
      "videopipe.security.keys[2].rate-per-second=0.5",
      "videopipe.security.keys[2].burst=2",
      "videopipe.security.bootstrap-key=admin-key",
      "videopipe.security.max-body-size=1KB",
      // this class sends many requests without a key on purpose; ApiKeysTest covers the per-address limit
      "videopipe.security.rate-limit.unauthenticated-burst=10000"
    })
class ApiSecurityTest {
  static final String READER = "reader-key";
  static final String SUBMITTER = "submit-key";
  static final String ADMIN = "admin-key";

  @Autowired MockMvc mvc;
  @MockitoBean JobService jobs;
  @MockitoBean JobArtifacts artifacts;
  @MockitoBean JobListing listing;
  @MockitoBean io.videopipe.jobs.JobTenancy tenancy;

  static final List<Object[]> ENDPOINTS =
      List.of(
          new Object[] {HttpMethod.POST, "/api/v1/jobs"},
          new Object[] {HttpMethod.GET, "/api/v1/jobs"},
          new Object[] {HttpMethod.GET, "/api/v1/jobs/j1"},
          new Object[] {HttpMethod.POST, "/api/v1/jobs/j1/cancel"},
          new Object[] {HttpMethod.POST, "/api/v1/jobs/j1/priority"},
          new Object[] {HttpMethod.GET, "/api/v1/jobs/j1/transcript"},
          new Object[] {HttpMethod.GET, "/api/v1/jobs/j1/highlights"},
          new Object[] {HttpMethod.GET, "/api/v1/jobs/j1/qa"},
          new Object[] {HttpMethod.GET, "/api/v1/jobs/j1/cost"},
          new Object[] {HttpMethod.GET, "/api/v1/jobs/j1/clips/1"},
          new Object[] {HttpMethod.POST, "/api/v1/reprocess"},
          new Object[] {HttpMethod.GET, "/api/v1/schedules"},
          new Object[] {HttpMethod.POST, "/codec/decode"},
          new Object[] {HttpMethod.GET, "/actuator/metrics"});

  @Test
  void everyEndpointWithoutAKeyIs401ProblemWithAChallenge() throws Exception {
    for (Object[] e : ENDPOINTS) {
      mvc.perform(request((HttpMethod) e[0], (String) e[1]))
          .andExpect(status().isUnauthorized())
          .andExpect(header().string("WWW-Authenticate", containsString("Bearer")))
          .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
          .andExpect(jsonPath("$.status").value(401))
          .andExpect(jsonPath("$.title").value("API key required"))
          .andExpect(jsonPath("$.detail").value(containsString("X-API-Key")));
    }
    verify(jobs, never()).submit(any(), anyString(), any(), any());
  }

  @Test
  void aWrongKeyIs401InEitherHeader() throws Exception {
    mvc.perform(get("/api/v1/jobs/j1").header("X-API-Key", "reader-key-x"))
        .andExpect(status().isUnauthorized())
        .andExpect(header().string("WWW-Authenticate", containsString("invalid_token")))
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.title").value("Invalid API key"));
    mvc.perform(get("/api/v1/jobs/j1").header("Authorization", "Bearer nope"))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.title").value("Invalid API key"));
    // Basic auth is not a key.
    mvc.perform(get("/api/v1/jobs/j1").header("Authorization", "Basic cmVhZGVyLWtleQ=="))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.title").value("API key required"));
    verify(jobs, never()).view(anyString());
  }

  @Test
  void aKeyIsAcceptedAsXApiKeyOrBearer() throws Exception {
    mvc.perform(get("/api/v1/jobs/j1").header("X-API-Key", READER)).andExpect(status().isOk());
    mvc.perform(get("/api/v1/jobs/j1").header("Authorization", "Bearer " + READER)).andExpect(status().isOk());
    mvc.perform(get("/api/v1/jobs/j1").header("authorization", "bearer " + SUBMITTER)).andExpect(status().isOk());
    verify(jobs, org.mockito.Mockito.times(3)).view("j1");
  }

  @Test
  void scopesDecideWhatAKeyMayDo() throws Exception {
    when(jobs.submit(any(), anyString(), isNull(), any())).thenReturn(new JobService.Started("job-1", false));
    String body = "{\"sourceUrl\": \"https://example.com/v.mp4\"}";

    mvc.perform(post("/api/v1/jobs").header("X-API-Key", READER).contentType(MediaType.APPLICATION_JSON).content(body))
        .andExpect(status().isForbidden())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.title").value("Insufficient scope"))
        .andExpect(jsonPath("$.detail").value("key 'reader' lacks the 'submit' scope that POST /api/v1/jobs needs"));
    mvc.perform(post("/api/v1/jobs/j1/cancel").header("X-API-Key", READER)).andExpect(status().isForbidden());
    verify(jobs, never()).submit(any(), anyString(), any(), any());

    // The submitter's key name, never the key, is who requested the job.
    mvc.perform(post("/api/v1/jobs").header("X-API-Key", SUBMITTER).contentType(MediaType.APPLICATION_JSON).content(body))
        .andExpect(status().isAccepted());
    verify(jobs).submit(any(), eq("ci-submitter"), isNull(), eq("default"));
    mvc.perform(post("/api/v1/jobs/j1/cancel").header("X-API-Key", SUBMITTER)).andExpect(status().isAccepted());
    mvc.perform(
            post("/api/v1/jobs/j1/priority").header("X-API-Key", SUBMITTER).contentType(MediaType.APPLICATION_JSON).content("{\"priority\":1}"))
        .andExpect(status().isAccepted());

    // Admin endpoints, including ones this controller does not serve: the rule is by path, not by handler.
    for (String path : List.of("/api/v1/reprocess", "/api/v1/schedules", "/codec/decode")) {
      mvc.perform(post(path).header("X-API-Key", SUBMITTER))
          .andExpect(status().isForbidden())
          .andExpect(jsonPath("$.detail").value(containsString("'admin' scope")));
      // the admin key gets past the check (no such handler in this slice: 404)
      MvcResult r = mvc.perform(post(path).header("X-API-Key", ADMIN)).andReturn();
      assertThat(r.getResponse().getStatus()).as(path).isNotIn(401, 403);
    }
  }

  @Test
  void healthAndTheApiDocumentNeedNoKey() throws Exception {
    for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/v3/api-docs", "/docs")) {
      MvcResult r = mvc.perform(get(path)).andReturn();
      assertThat(r.getResponse().getStatus()).as(path).isNotEqualTo(401);
    }
  }

  @Test
  void overTheRateLimitIs429WithRetryAfter() throws Exception {
    mvc.perform(get("/api/v1/jobs/j1").header("X-API-Key", "limited-key")).andExpect(status().isOk());
    mvc.perform(get("/api/v1/jobs/j1").header("X-API-Key", "limited-key")).andExpect(status().isOk());
    MvcResult limited =
        mvc.perform(get("/api/v1/jobs/j1").header("X-API-Key", "limited-key"))
            .andExpect(status().isTooManyRequests())
            .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
            .andExpect(jsonPath("$.title").value("Too many requests"))
            .andReturn();
    // burst 2, one token per 2 s: the next one is at most 2 s away
    assertThat(Integer.parseInt(limited.getResponse().getHeader("Retry-After"))).isBetween(1, 2);
    // Buckets are per key: another key is not limited by it.
    mvc.perform(get("/api/v1/jobs/j1").header("X-API-Key", READER)).andExpect(status().isOk());
    verify(jobs, org.mockito.Mockito.times(3)).view("j1");
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    String big = "{\"sourceUrl\": \"https://example.com/" + "a".repeat(2000) + "\"}";
    mvc.perform(post("/api/v1/jobs").header("X-API-Key", SUBMITTER).contentType(MediaType.APPLICATION_JSON).content(big))
        .andExpect(status().isPayloadTooLarge())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value("the request body is larger than the 1024 bytes allowed here"));
    verify(jobs, never()).submit(any(), anyString(), any(), any());
  }

  @Test
  void theCodecAllowsTheWebUiOriginInAPreflightWithoutAKey() throws Exception {
    mvc.perform(
            options("/codec/decode")
                .header("Origin", "http://localhost:8233")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-namespace,authorization"))
        .andExpect(status().isOk())
        .andExpect(header().string("Access-Control-Allow-Origin", "http://localhost:8233"));
    mvc.perform(
            options("/codec/decode")
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST"))
        .andExpect(status().isForbidden());
  }
}

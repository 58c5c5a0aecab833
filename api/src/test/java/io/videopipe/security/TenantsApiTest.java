package io.videopipe.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Tenants over REST on a real local role (embedded Temporal, both workers, FFmpeg, Vosk): keys created by an admin,
 * two tenants trying each other's jobs and bulk runs, the admin seeing both, revocation and expiry, the audit log.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class TenantsApiTest {
  static final String ADMIN = "tenants-test-admin-7d1e";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static final ListAppender<ILoggingEvent> audit = new ListAppender<>();

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry registry) {
    registry.add("videopipe.storage.root", () -> dir.resolve("data").toString());
    registry.add("videopipe.storage.work-dir", () -> dir.resolve("work").toString());
    registry.add("videopipe.download.local-roots", () -> dir.toString());
    registry.add("videopipe.security.bootstrap-key", () -> ADMIN);
    registry.add("videopipe.security.rate-limit.admin-burst", () -> "200");
    registry.add("videopipe.security.rate-limit.unauthenticated-burst", () -> "200");
  }

  /** After the context has started: Spring Boot's logging set-up drops appenders added before it. */
  @org.junit.jupiter.api.BeforeEach
  void captureTheAuditLog() {
    Logger logger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
    if (logger.getAppender(audit.getName()) == null) {
      audit.setName("tenants-test-audit");
      audit.start();
      logger.addAppender(audit);
    }
  }

  @AfterAll
  static void stopCapturing() {
    ((Logger) LoggerFactory.getLogger(AuditLog.LOGGER)).detachAppender(audit);
  }

  @Autowired TestRestTemplate http;
  @Autowired org.springframework.core.env.Environment env;
  @org.springframework.boot.test.web.server.LocalServerPort int port;

  ResponseEntity<JsonNode> call(HttpMethod method, String path, String key, Object body) {
    HttpHeaders headers = new HttpHeaders();
    if (key != null) {
      headers.set("X-API-Key", key);
    }
    headers.setContentType(MediaType.APPLICATION_JSON);
    return http.exchange(path, method, new HttpEntity<>(body, headers), JsonNode.class);
  }

  String createKey(String name, String tenant, List<String> scopes, Instant expiresAt) {
    Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("name", name, "tenant", tenant, "scopes", scopes));
    if (expiresAt != null) {
      body.put("expiresAt", expiresAt.toString());
    }
    ResponseEntity<JsonNode> created = call(HttpMethod.POST, "/api/v1/keys", ADMIN, body);
    assertThat(created.getStatusCode()).as(String.valueOf(created.getBody())).isEqualTo(HttpStatus.CREATED);
    assertThat(created.getHeaders().getLocation()).hasPath("/api/v1/keys/" + name);
    assertThat(created.getHeaders().getCacheControl()).contains("no-store");
    assertThat(created.getBody().path("key").path("tenant").asText()).isEqualTo(tenant);
    String secret = created.getBody().path("secret").asText();
    assertThat(secret).startsWith("vpk_").hasSizeGreaterThan(40);
    return secret;
  }

  JsonNode awaitEnd(String jobId, String key) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    JsonNode job = null;
    while (System.nanoTime() < deadline) {
      job = call(HttpMethod.GET, "/api/v1/jobs/" + jobId, key, null).getBody();
      if (!job.path("status").asText().equals("RUNNING")) {
        return job;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("job " + jobId + " never ended; last: " + job);
  }

  @Test
  void twoTenantsSeeOnlyTheirOwnJobsAndTheAdminSeesBoth(CapturedOutput output) throws Exception {
    String a = createKey("team-a-ci", "team-a", List.of("read", "submit"), null);
    String b = createKey("team-b-ci", "team-b", List.of("read", "submit"), null);

    // A key name is taken once, by a created or a configured key.
    assertThat(call(HttpMethod.POST, "/api/v1/keys", ADMIN, Map.of("name", "team-a-ci", "tenant", "team-c"))
            .getStatusCode())
        .isEqualTo(HttpStatus.CONFLICT);
    ResponseEntity<JsonNode> badTenant =
        call(HttpMethod.POST, "/api/v1/keys", ADMIN, Map.of("name", "x", "tenant", "Team A"));
    assertThat(badTenant.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(badTenant.getBody().path("detail").asText()).contains("tenant 'Team A'");
    // A misspelt field is refused, not ignored: "scope" would otherwise make a read-only key silently.
    ResponseEntity<JsonNode> misspelt =
        call(HttpMethod.POST, "/api/v1/keys", ADMIN,
            Map.of("name", "y", "tenant", "team-a", "scope", List.of("submit")));
    assertThat(misspelt.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(misspelt.getBody().path("detail").asText()).contains("unknown field 'scope'", "scopes");
    // Only admins manage keys, listing included.
    assertThat(call(HttpMethod.GET, "/api/v1/keys", a, null).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(call(HttpMethod.POST, "/api/v1/keys", a, Map.of("name", "mine", "tenant", "team-a")).getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);

    // One job each; their sources do not exist, so they fail at once (this test is about who sees them, and the
    // machine's cores are better spent elsewhere: JobsApiTest runs jobs to the end).
    Path missing = Files.createDirectories(dir.resolve("b")).resolve("missing.mp4");
    ResponseEntity<JsonNode> startedA =
        call(HttpMethod.POST, "/api/v1/jobs", a, Map.of("sourceUrl", missing.toString(), "jobId", "tenant-a-job"));
    assertThat(startedA.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(call(HttpMethod.POST, "/api/v1/jobs", b, Map.of("sourceUrl", missing.toString(), "jobId", "tenant-b-job"))
            .getStatusCode())
        .isEqualTo(HttpStatus.ACCEPTED);

    // While A's job runs, B can neither see nor steer it: the answers are those for a job that does not exist.
    ResponseEntity<JsonNode> nothing = call(HttpMethod.GET, "/api/v1/jobs/no-such-job", b, null);
    assertThat(nothing.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    ResponseEntity<JsonNode> foreign = call(HttpMethod.GET, "/api/v1/jobs/tenant-a-job", b, null);
    assertThat(foreign.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(foreign.getBody().path("title").asText()).isEqualTo(nothing.getBody().path("title").asText());
    assertThat(foreign.getBody().path("detail").asText())
        .isEqualTo(nothing.getBody().path("detail").asText().replace("no-such-job", "tenant-a-job"));
    assertThat(call(HttpMethod.POST, "/api/v1/jobs/tenant-a-job/priority", b, Map.of("priority", 1)).getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(call(HttpMethod.POST, "/api/v1/jobs/tenant-a-job/cancel", b, Map.of("reason", "mine now")).getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);

    JsonNode doneA = awaitEnd("tenant-a-job", a);
    assertThat(doneA.path("status").asText()).as(doneA.toPrettyString()).isEqualTo("FAILED");
    assertThat(awaitEnd("tenant-b-job", b).path("status").asText()).isEqualTo("FAILED");

    // Artifacts: B is told the job does not exist; A is told about its job (it ended before making them).
    for (String artifact : List.of("transcript?format=srt", "highlights", "qa", "cost", "clips/1", "clips/1.srt",
        "clips/1-9x16.mp4")) {
      String path = "/api/v1/jobs/tenant-a-job/" + artifact;
      HttpHeaders hb = new HttpHeaders();
      hb.set("X-API-Key", b);
      ResponseEntity<String> theirs = http.exchange(path, HttpMethod.GET, new HttpEntity<>(hb), String.class);
      assertThat(theirs.getStatusCode()).as(path).isEqualTo(HttpStatus.NOT_FOUND);
      assertThat(JSON.readTree(theirs.getBody()).path("title").asText()).as(path).isEqualTo("Job not found");
      HttpHeaders ha = new HttpHeaders();
      ha.set("X-API-Key", a);
      ResponseEntity<String> mine = http.exchange(path, HttpMethod.GET, new HttpEntity<>(ha), String.class);
      assertThat(mine.getStatusCode().is4xxClientError()).as(path).isTrue();
      assertThat(JSON.readTree(mine.getBody()).path("title").asText()).as(path + ": " + mine.getBody())
          .isNotEqualTo("Job not found");
    }
    assertThat(call(HttpMethod.GET, "/api/v1/jobs/tenant-b-job", a, null).getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);

    // Listing: each tenant its own; the admin both (with the tenant of each).
    assertThat(ids(call(HttpMethod.GET, "/api/v1/jobs", a, null).getBody())).containsExactly("tenant-a-job");
    assertThat(ids(call(HttpMethod.GET, "/api/v1/jobs", b, null).getBody())).containsExactly("tenant-b-job");
    JsonNode all = call(HttpMethod.GET, "/api/v1/jobs", ADMIN, null).getBody();
    assertThat(ids(all)).contains("tenant-a-job", "tenant-b-job");
    assertThat(call(HttpMethod.GET, "/api/v1/jobs/tenant-b-job", ADMIN, null).getStatusCode()).isEqualTo(HttpStatus.OK);
    for (JsonNode job : all.path("jobs")) {
      if (job.path("jobId").asText().equals("tenant-a-job")) {
        assertThat(job.path("tenant").asText()).isEqualTo("team-a");
      }
    }

    // Bulk runs belong to the tenant of the key that started them (an admin's: the default tenant).
    ResponseEntity<JsonNode> bulk =
        call(HttpMethod.POST, "/api/v1/reprocess", ADMIN, Map.of("prefix", "nothing-here/", "concurrency", 1));
    assertThat(bulk.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    String bulkId = bulk.getBody().path("bulkId").asText();
    assertThat(call(HttpMethod.GET, "/api/v1/reprocess/" + bulkId, a, null).getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(call(HttpMethod.GET, "/api/v1/reprocess/" + bulkId, ADMIN, null).getStatusCode())
        .isEqualTo(HttpStatus.OK);

    // The key list shows both keys and never a secret or a hash.
    ResponseEntity<String> listed =
        http.exchange("/api/v1/keys", HttpMethod.GET, new HttpEntity<>(adminHeaders()), String.class);
    assertThat(listed.getStatusCode()).isEqualTo(HttpStatus.OK);
    JsonNode keys = JSON.readTree(listed.getBody()).path("keys");
    assertThat(StreamSupport.stream(keys.spliterator(), false).map(k -> k.path("name").asText()))
        .contains("team-a-ci", "team-b-ci", "bootstrap");
    assertThat(listed.getBody()).doesNotContain(a, b, ADMIN, "secret", "sha256", hex(a));

    // Revoked: refused from the next request on.
    assertThat(call(HttpMethod.DELETE, "/api/v1/keys/team-b-ci", ADMIN, null).getStatusCode())
        .isEqualTo(HttpStatus.NO_CONTENT);
    ResponseEntity<JsonNode> revoked = call(HttpMethod.GET, "/api/v1/jobs/tenant-b-job", b, null);
    assertThat(revoked.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(call(HttpMethod.DELETE, "/api/v1/keys/team-b-ci", ADMIN, null).getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);
    // A configured key is not revocable here: the answer says where it lives.
    ResponseEntity<JsonNode> configured = call(HttpMethod.DELETE, "/api/v1/keys/bootstrap", ADMIN, null);
    assertThat(configured.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat(configured.getBody().path("detail").asText()).contains("configured");
    // The name is free again once revoked.
    createKey("team-b-ci", "team-b", List.of("read"), null);

    // The audit log: one line per mutating call, with who, which tenant, what and the outcome; never a secret.
    List<JsonNode> lines = new ArrayList<>();
    for (ILoggingEvent e : audit.list) {
      lines.add(JSON.readTree(e.getFormattedMessage()));
    }
    assertThat(lines)
        .anySatisfy(l -> {
          assertThat(l.path("key").asText()).isEqualTo("team-a-ci");
          assertThat(l.path("tenant").asText()).isEqualTo("team-a");
          assertThat(l.path("method").asText()).isEqualTo("POST");
          assertThat(l.path("path").asText()).isEqualTo("/api/v1/jobs");
          assertThat(l.path("jobId").asText()).isEqualTo("tenant-a-job");
          assertThat(l.path("status").asInt()).isEqualTo(202);
          assertThat(Instant.parse(l.path("time").asText())).isBefore(Instant.now());
        })
        .anySatisfy(l -> {
          assertThat(l.path("key").asText()).isEqualTo("team-b-ci");
          assertThat(l.path("path").asText()).isEqualTo("/api/v1/jobs/tenant-a-job/cancel");
          assertThat(l.path("jobId").asText()).isEqualTo("tenant-a-job");
          assertThat(l.path("status").asInt()).isEqualTo(404);
        })
        .anySatisfy(l -> {
          assertThat(l.path("method").asText()).isEqualTo("DELETE");
          assertThat(l.path("keyName").asText()).isEqualTo("team-b-ci");
          assertThat(l.path("key").asText()).isEqualTo("bootstrap");
          assertThat(l.path("status").asInt()).isEqualTo(204);
        })
        .anySatisfy(l -> {
          assertThat(l.path("path").asText()).isEqualTo("/api/v1/keys");
          assertThat(l.path("keyName").asText()).isEqualTo("team-a-ci");
          assertThat(l.path("status").asInt()).isEqualTo(201);
        })
        .noneSatisfy(l -> assertThat(l.path("method").asText()).isEqualTo("GET"));
    assertThat(output.getAll()).doesNotContain(a, b, ADMIN);
    assertThat(audit.list.stream().map(ILoggingEvent::getFormattedMessage)).noneMatch(m -> m.contains(a) || m.contains(b));
  }

  @Test
  void anExpiredKeyIsRefusedAndSaysSo() throws Exception {
    String soon = createKey("short-lived", "team-c", List.of("read"), Instant.now().plusSeconds(2));
    assertThat(call(HttpMethod.GET, "/api/v1/jobs", soon, null).getStatusCode()).isEqualTo(HttpStatus.OK);
    Thread.sleep(2_500);
    ResponseEntity<JsonNode> expired = call(HttpMethod.GET, "/api/v1/jobs", soon, null);
    assertThat(expired.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(expired.getBody().path("title").asText()).isEqualTo("API key expired");
    assertThat(expired.getBody().path("detail").asText()).contains("short-lived");
    JsonNode listed = call(HttpMethod.GET, "/api/v1/keys", ADMIN, null).getBody();
    assertThat(StreamSupport.stream(listed.path("keys").spliterator(), false))
        .anySatisfy(k -> {
          assertThat(k.path("name").asText()).isEqualTo("short-lived");
          assertThat(k.path("expired").asBoolean()).isTrue();
        });
    // An expiry in the past is refused at creation.
    assertThat(call(HttpMethod.POST, "/api/v1/keys", ADMIN,
                Map.of("name", "old", "tenant", "team-c", "expiresAt", "2020-01-01T00:00:00Z"))
            .getStatusCode())
        .isEqualTo(HttpStatus.BAD_REQUEST);
  }

  @Test
  void keysAreStoredHashedInStorage() throws Exception {
    String secret = createKey("stored-check", "team-d", List.of("read"), null);
    Path stored = dir.resolve("data").resolve("keys").resolve("stored-check.json");
    String text = Files.readString(stored);
    assertThat(text).doesNotContain(secret).contains(hex(secret), "team-d");
  }

  @Test
  void theLocalRoleListensOnLoopbackOnly() throws Exception {
    assertThat(env.getProperty("server.address")).isEqualTo("127.0.0.1");
    int tried = 0;
    for (java.net.NetworkInterface nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (java.net.InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
        if (address instanceof java.net.Inet4Address) {
          tried++;
          try (java.net.Socket s = new java.net.Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> s.connect(new java.net.InetSocketAddress(address, port), 2_000))
                .as("the role must not answer on " + address)
                .isInstanceOf(java.io.IOException.class);
          }
        }
      }
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(tried > 0, "this machine has no non-loopback IPv4 address to try");
  }

  HttpHeaders adminHeaders() {
    HttpHeaders h = new HttpHeaders();
    h.set("X-API-Key", ADMIN);
    return h;
  }

  static String hex(String secret) {
    return java.util.HexFormat.of().formatHex(ApiKeys.sha256(secret));
  }

  static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.path("jobs").forEach(j -> ids.add(j.path("jobId").asText()));
    return ids;
  }
}

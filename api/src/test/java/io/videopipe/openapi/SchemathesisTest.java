package io.videopipe.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * schemathesis (PyPI, pinned in scripts/install-test-tools.sh) fuzzes the running local role from its own OpenAPI
 * document with an admin key: no 5xx, no status code the document does not list, no response that breaks its schema.
 * Skipped with a message where schemathesis is not installed, except in CI ({@code CI=true}), where that fails.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SchemathesisTest {
  static final String KEY = "schemathesis-admin-key-51c0";
  static final String VERSION = "4.32.5";
  /** Bounds the run: examples per operation and a time budget well inside the process timeout below. */
  static final int MAX_EXAMPLES = 25;
  static final int MAX_SECONDS = 120;

  @TempDir static Path dir;

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry registry) {
    registry.add("videopipe.storage.root", () -> dir.resolve("data").toString());
    registry.add("videopipe.storage.work-dir", () -> dir.resolve("work").toString());
    // Fuzzed sources that look like local paths must find nothing worth reading.
    registry.add("videopipe.download.local-roots", () -> dir.resolve("empty").toString());
    registry.add("videopipe.security.bootstrap-key", () -> KEY);
    for (String scope : List.of("read", "submit", "admin")) {
      registry.add("videopipe.security.rate-limit." + scope + "-per-second", () -> "10000");
      registry.add("videopipe.security.rate-limit." + scope + "-burst", () -> "10000");
    }
  }

  @LocalServerPort int port;

  @Test
  void theApiKeepsEveryPromiseOfItsOpenApiDocument() throws Exception {
    String exe = schemathesis();
    Path out = Path.of("target", "schemathesis");
    Files.createDirectories(out);
    Files.createDirectories(dir.resolve("empty"));
    // The first request builds the document (seconds on a busy machine); schemathesis reads it with a 10 s timeout.
    java.net.http.HttpResponse<String> doc =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v3/api-docs"))
                    .timeout(java.time.Duration.ofSeconds(120))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(doc.statusCode()).isEqualTo(200);
    assertThat(doc.body()).contains("\"title\":\"videopipe\"", "\"ApiKey\"", "X-API-Key");
    List<String> command =
        new ArrayList<>(
            List.of(
                exe,
                "--no-color",
                "run",
                "http://127.0.0.1:" + port + "/v3/api-docs",
                "--header",
                "X-API-Key: " + KEY,
                "--checks",
                "not_a_server_error,status_code_conformance,response_schema_conformance",
                "--max-examples",
                Integer.toString(MAX_EXAMPLES),
                "--max-time",
                Integer.toString(MAX_SECONDS),
                // generous: this suite shares small machines; a slow answer is not what this test is about
                "--request-timeout",
                "60",
                "--seed",
                "20261123",
                "--workers",
                "2",
                "--report",
                "junit",
                "--report-dir",
                out.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("SCHEMATHESIS_HOOKS", "");
    File log = out.resolve("output.txt").toFile();
    pb.redirectOutput(log);
    Process p = pb.start();
    if (!p.waitFor(MAX_SECONDS + 120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("schemathesis ran past its time budget; see " + log.getAbsolutePath());
    }
    String text = Files.readString(log.toPath(), StandardCharsets.UTF_8);
    assertThat(text).as("schemathesis must have tested operations").contains("/api/v1/jobs");
    assertThat(text).doesNotContain(KEY);
    assertThat(p.exitValue()).as("schemathesis found problems:\n" + tail(text, 12_000)).isZero();
  }

  /**
   * What Swagger UI's Authorize button and "Try it out" rely on: the UI is served, its configuration keeps the key, the
   * document names the header every operation requires, and that header, sent as the UI sends it, is accepted.
   */
  @Test
  void swaggerUiCanAuthorizeWithAKey() throws Exception {
    java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build();
    String base = "http://127.0.0.1:" + port;
    java.net.http.HttpResponse<String> ui = http.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/docs")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(ui.statusCode()).isEqualTo(200);
    assertThat(ui.body()).contains("swagger-ui");
    java.net.http.HttpResponse<String> config = http.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v3/api-docs/swagger-config")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    com.fasterxml.jackson.databind.JsonNode c = new com.fasterxml.jackson.databind.ObjectMapper().readTree(config.body());
    assertThat(c.path("persistAuthorization").asBoolean()).isTrue();
    assertThat(c.path("url").asText()).isEqualTo("/v3/api-docs");

    com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v3/api-docs")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body());
    com.fasterxml.jackson.databind.JsonNode scheme = doc.path("components").path("securitySchemes").path("ApiKey");
    assertThat(scheme.path("type").asText()).isEqualTo("apiKey");
    assertThat(scheme.path("in").asText()).isEqualTo("header");
    assertThat(doc.path("security").toString()).contains("ApiKey", "Bearer");
    assertThat(doc.path("info").path("title").asText()).isEqualTo("videopipe");
    assertThat(doc.path("info").path("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
    // Every operation: the security of the document applies (none overrides it), and each error is a Problem.
    doc.path("paths").forEach(item -> item.forEach(op -> {
      assertThat(op.has("security")).isFalse();
      assertThat(op.path("responses").path("401").path("content").path("application/problem+json").path("schema")
              .path("$ref").asText())
          .isEqualTo("#/components/schemas/Problem");
    }));

    String header = scheme.path("name").asText();
    java.net.http.HttpResponse<String> withKey = http.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/v1/jobs")).header(header, KEY).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(withKey.statusCode()).isEqualTo(200);
    java.net.http.HttpResponse<String> without = http.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/v1/jobs")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(without.statusCode()).isEqualTo(401);
  }

  /** The pinned schemathesis: $VIDEOPIPE_SCHEMATHESIS, where install-test-tools.sh puts it, or on the PATH. */
  static String schemathesis() throws IOException, InterruptedException {
    List<String> candidates = new ArrayList<>();
    String env = System.getenv("VIDEOPIPE_SCHEMATHESIS");
    if (env != null && !env.isBlank()) {
      candidates.add(env);
    }
    String tools = System.getenv().getOrDefault(
        "VIDEOPIPE_TOOLS_DIR", System.getProperty("user.home") + "/.cache/videopipe/tools");
    candidates.add(tools + "/schemathesis-" + VERSION + "/bin/schemathesis");
    candidates.add("schemathesis");
    for (String c : candidates) {
      try {
        Process v = new ProcessBuilder(c, "--version").redirectErrorStream(true).start();
        if (v.waitFor(60, TimeUnit.SECONDS) && v.exitValue() == 0) {
          return c;
        }
      } catch (IOException e) {
        // not this one
      }
    }
    String message =
        "schemathesis " + VERSION + " is not installed (tried " + candidates + "); run bash scripts/install-test-tools.sh";
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    Assumptions.abort(message);
    return null;
  }

  private static String tail(String s, int n) {
    return s.length() <= n ? s : s.substring(s.length() - n);
  }
}

package io.videopipe.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The OpenAPI document at {@code /v3/api-docs} (Swagger UI at {@code /docs}): title and version from the build, the
 * two ways to send a key as security schemes required by every operation (so Swagger UI's Authorize button makes "Try
 * it out" work), and on every operation the error answers the API really gives, each an RFC 9457 problem.
 */
@Configuration(proxyBeanMethods = false)
@Profile({"local", "api"})
public class OpenApiConfiguration {
  static final String API_KEY = "ApiKey";
  static final String BEARER = "Bearer";
  static final String PROBLEM = "Problem";
  static final String PROBLEM_JSON = "application/problem+json";

  @Bean
  OpenAPI videopipeOpenApi(ObjectProvider<BuildProperties> build) {
    BuildProperties b = build.getIfAvailable();
    return new OpenAPI()
        .info(
            new Info()
                .title("videopipe")
                .version(b == null || b.getVersion() == null ? "dev" : b.getVersion())
                .description(
                    "Durable video pipeline: transcripts, highlights, clips, QA and cost, one Temporal workflow per"
                        + " video. Every call needs an API key (X-API-Key or Authorization: Bearer); a key sees and"
                        + " controls only its tenant's jobs, admin keys all. Errors are RFC 9457 problems.")
                .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
        .components(
            new Components()
                .addSecuritySchemes(
                    API_KEY,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER)
                        .name("X-API-Key")
                        .description("An API key: the bootstrap key, a configured one, or one from POST /api/v1/keys"))
                .addSecuritySchemes(
                    BEARER,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("The same API key as 'Authorization: Bearer <key>'")))
        // Either scheme will do: two requirements are alternatives.
        .security(List.of(new SecurityRequirement().addList(API_KEY), new SecurityRequirement().addList(BEARER)));
  }

  @Bean
  OpenApiCustomizer videopipeResponses() {
    return api -> {
      api.getComponents().addSchemas(PROBLEM, problemSchema());
      api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> decorate(path, method, op)));
    };
  }

  /** The answers the key filter, the error handlers and the controllers give, by what the operation is. */
  static void decorate(String path, PathItem.HttpMethod method, Operation op) {
    ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
    op.setResponses(responses);
    boolean hasBody = op.getRequestBody() != null;
    problem(responses, "400", "Invalid request: a parameter or the body is wrong; the detail names it");
    problem(responses, "401", "No API key, an unknown one, or an expired one");
    problem(responses, "403", "The key lacks the scope this operation needs");
    if (path.contains("{")) {
      problem(responses, "404", "No such resource, or it belongs to another tenant");
    }
    if (method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.DELETE) {
      problem(responses, "409",
          "Conflicts with the resource's state: exists already, has ended, is configured, or (schedules on the embedded"
              + " Temporal server) cannot be paused, unpaused or triggered");
    }
    if (path.startsWith("/api/v1/jobs/{jobId}/") && method == PathItem.HttpMethod.GET) {
      problem(responses, "409", "The job has not made this artifact: it is still running, or ended before");
    }
    if (hasBody) {
      problem(responses, "413", "The request body is larger than videopipe.security.max-body-size");
      problem(responses, "415", "The body is not application/json");
    }
    if (path.equals("/api/v1/jobs") && method == PathItem.HttpMethod.POST) {
      problem(responses, "422", "The Idempotency-Key was first used with a different request");
    }
    if (path.contains("/clips/")) {
      responses.addApiResponse(
          "206", new ApiResponse().description("The requested byte range of the clip").content(binary()));
      problem(responses, "416", "The Range header asks for bytes the clip does not have");
    }
    ApiResponse tooMany = problemResponse("Over the key's rate limit (or, without a valid key, the address's)");
    tooMany.addHeaderObject(
        "Retry-After", new Header().description("Seconds until a request can succeed").schema(new IntegerSchema()));
    responses.addApiResponse("429", tooMany);
    if (path.equals("/api/v1/jobs") && method == PathItem.HttpMethod.POST && hasBody) {
      MediaType json = op.getRequestBody().getContent().get("application/json");
      if (json != null) {
        json.setExamples(jobExamples());
      }
    }
  }

  private static Map<String, Example> jobExamples() {
    Map<String, Example> examples = new LinkedHashMap<>();
    examples.put(
        "minimal",
        new Example()
            .summary("A video by URL, every option at its default")
            .value(Map.of("sourceUrl", "https://media.example.com/talks/keynote.mp4")));
    Map<String, Object> full = new LinkedHashMap<>();
    full.put("sourceUrl", "gs://media-bucket/incoming/keynote.mp4");
    full.put("jobId", "keynote-2026-11-23");
    full.put("engine", "auto");
    full.put("priority", 2);
    full.put("language", "en");
    full.put("highlights", Map.of("maxCount", 3, "minSec", 15, "maxSec", 45));
    full.put("budgetUsd", 0.5);
    full.put("clips", Map.of("targetLufs", -16, "vertical", true));
    examples.put("everything", new Example().summary("Engine, priority, bounds, budget and clips").value(full));
    return examples;
  }

  private static void problem(ApiResponses responses, String code, String description) {
    if (!responses.containsKey(code)) {
      responses.addApiResponse(code, problemResponse(description));
    }
  }

  private static ApiResponse problemResponse(String description) {
    return new ApiResponse()
        .description(description)
        .content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(PROBLEM))));
  }

  private static Content binary() {
    return new Content().addMediaType("video/mp4", new MediaType().schema(new StringSchema().format("binary")));
  }

  @SuppressWarnings("rawtypes")
  private static Schema problemSchema() {
    Schema<?> s = new ObjectSchema().description("RFC 9457 problem details");
    s.addProperty("type", new StringSchema().example("about:blank"));
    s.addProperty("title", new StringSchema().example("Job not found"));
    s.addProperty("status", new IntegerSchema().example(404));
    s.addProperty("detail", new StringSchema().example("no job with id 'job-20261123-0815-a1b2c'"));
    s.addProperty("instance", new StringSchema().example("/api/v1/jobs/job-20261123-0815-a1b2c"));
    s.setRequired(List.of("title", "status"));
    return s;
  }
}

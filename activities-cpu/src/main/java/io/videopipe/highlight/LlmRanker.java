package io.videopipe.highlight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Ranks a shortlist of highlights with an OpenAI-compatible chat completions endpoint ({@code POST
 * <baseUrl>/chat/completions}) and gives each a title. The model is asked for strict JSON through {@code
 * response_format: json_schema}; the answer is validated here all the same (servers that ignore the schema exist): an
 * object with only {@code highlights}, 1 to {@code maxCount} items, each with only {@code id} (one of the shortlist's,
 * no repeats), a non-blank {@code title} of at most {@link #MAX_TITLE_CHARS} characters and a {@code reason}. Anything
 * else — an HTTP error, a timeout, a refusal, a truncated or malformed answer — is a {@link RankingFailed}, and the
 * caller keeps the feature ranking.
 */
public final class LlmRanker {

  static final int MAX_TITLE_CHARS = 80;
  private static final MediaType JSON = MediaType.get("application/json");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * @param baseUrl e.g. {@code https://api.openai.com/v1}; the request goes to {@code <baseUrl>/chat/completions}
   * @param model the model name the endpoint expects
   * @param apiKey sent as a bearer token; null for endpoints without authentication
   * @param timeout the whole call, connection to last byte
   * @param poolSize how many feature-ranked candidates the model chooses from
   */
  public record Settings(String baseUrl, String model, String apiKey, Duration timeout, int poolSize) {
    public Settings {
      if (baseUrl == null || baseUrl.isBlank() || model == null || model.isBlank()) {
        throw new IllegalArgumentException("LLM ranking needs a base URL and a model");
      }
      if (timeout == null || timeout.isNegative() || timeout.isZero() || poolSize < 1) {
        throw new IllegalArgumentException("LLM ranking needs a positive timeout and pool size");
      }
      baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    @Override
    public String toString() {
      // never print the key
      return "Settings[baseUrl=" + baseUrl + ", model=" + model + ", timeout=" + timeout + ", poolSize=" + poolSize
          + "]";
    }
  }

  /** The model's answer could not be used; the message says why, for highlights.json. */
  public static final class RankingFailed extends Exception {
    public RankingFailed(String message) {
      super(message);
    }

    public RankingFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Settings settings;
  private final OkHttpClient http;

  public LlmRanker(Settings settings) {
    this.settings = settings;
    this.http = new OkHttpClient.Builder().callTimeout(settings.timeout()).retryOnConnectionFailure(false).build();
  }

  public Settings settings() {
    return settings;
  }

  /**
   * The model's choice from {@code pool}: at most {@code maxCount} highlights in its order, re-ranked from 1, each with
   * the model's title, its feature rank kept as the feature {@code featureRank}.
   */
  public List<Highlight> rank(List<Highlight> pool, int maxCount) throws RankingFailed {
    if (pool.isEmpty() || maxCount == 0) {
      return List.of();
    }
    String body;
    try {
      body = MAPPER.writeValueAsString(request(pool, maxCount));
    } catch (IOException e) {
      throw new RankingFailed("cannot write the request: " + e.getMessage(), e);
    }
    Request.Builder call =
        new Request.Builder().url(settings.baseUrl() + "/chat/completions").post(RequestBody.create(body, JSON));
    if (settings.apiKey() != null && !settings.apiKey().isBlank()) {
      call.header("Authorization", "Bearer " + settings.apiKey());
    }
    String answer;
    try (Response response = http.newCall(call.build()).execute()) {
      if (!response.isSuccessful()) {
        throw new RankingFailed("the endpoint answered HTTP " + response.code());
      }
      ResponseBody rb = response.body();
      answer = rb == null ? "" : rb.string();
    } catch (IOException e) {
      throw new RankingFailed("no answer within " + settings.timeout().toMillis() + " ms or connection failed: "
          + e.getClass().getSimpleName(), e);
    }
    return choose(pool, maxCount, content(answer));
  }

  private ObjectNode request(List<Highlight> pool, int maxCount) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("model", settings.model());
    root.put("temperature", 0);
    ArrayNode messages = root.putArray("messages");
    messages.addObject()
        .put("role", "system")
        .put(
            "content",
            "You choose highlight clips of a recorded talk for media editors to publish. Prefer clips that stand on "
                + "their own, make one clear point, and would make a viewer want to watch the rest. Answer only with "
                + "JSON that matches the schema.");
    ArrayNode candidates = MAPPER.createArrayNode();
    for (int i = 0; i < pool.size(); i++) {
      Highlight h = pool.get(i);
      candidates.addObject()
          .put("id", i + 1)
          .put("startSec", Math.round(h.startSec() * 10) / 10.0)
          .put("endSec", Math.round(h.endSec() * 10) / 10.0)
          .put("text", h.text());
    }
    messages.addObject()
        .put("role", "user")
        .put(
            "content",
            "Pick at most " + maxCount + " of these candidate clips, best first. Give each a title of at most 60 "
                + "characters and a one-sentence reason.\nCandidates: " + candidates);
    ObjectNode format = root.putObject("response_format");
    format.put("type", "json_schema");
    ObjectNode jsonSchema = format.putObject("json_schema");
    jsonSchema.put("name", "highlight_ranking");
    jsonSchema.put("strict", true);
    jsonSchema.set("schema", schema());
    return root;
  }

  static ObjectNode schema() {
    ObjectNode item = MAPPER.createObjectNode();
    item.put("type", "object");
    ObjectNode props = item.putObject("properties");
    props.putObject("id").put("type", "integer");
    props.putObject("title").put("type", "string");
    props.putObject("reason").put("type", "string");
    item.putArray("required").add("id").add("title").add("reason");
    item.put("additionalProperties", false);
    ObjectNode schema = MAPPER.createObjectNode();
    schema.put("type", "object");
    ObjectNode array = schema.putObject("properties").putObject("highlights");
    array.put("type", "array");
    array.set("items", item);
    schema.putArray("required").add("highlights");
    schema.put("additionalProperties", false);
    return schema;
  }

  /** The assistant message's content from a chat completion. */
  private static String content(String answer) throws RankingFailed {
    JsonNode root;
    try {
      root = MAPPER.readTree(answer);
    } catch (IOException e) {
      throw new RankingFailed("the endpoint's answer is not JSON", e);
    }
    JsonNode choice = root == null ? null : root.path("choices").path(0);
    if (choice == null || choice.isMissingNode()) {
      throw new RankingFailed("the answer has no choices");
    }
    String finish = choice.path("finish_reason").asText("");
    JsonNode message = choice.path("message");
    if (message.hasNonNull("refusal")) {
      throw new RankingFailed("the model refused: " + message.get("refusal").asText());
    }
    if (!finish.equals("stop")) {
      throw new RankingFailed("the answer was cut off (finish_reason " + (finish.isEmpty() ? "missing" : finish) + ")");
    }
    JsonNode content = message.path("content");
    if (!content.isTextual()) {
      throw new RankingFailed("the answer has no message content");
    }
    return content.asText();
  }

  private static List<Highlight> choose(List<Highlight> pool, int maxCount, String content) throws RankingFailed {
    JsonNode root;
    try {
      root = MAPPER.readTree(content);
    } catch (IOException e) {
      throw new RankingFailed("the model's content is not JSON", e);
    }
    if (root == null || !root.isObject() || root.size() != 1 || !root.path("highlights").isArray()) {
      throw new RankingFailed("the model's content is not an object with only a 'highlights' array");
    }
    JsonNode items = root.get("highlights");
    if (items.isEmpty() || items.size() > maxCount) {
      throw new RankingFailed("the model picked " + items.size() + " highlights; 1 to " + maxCount + " allowed");
    }
    Set<Integer> seen = new HashSet<>();
    List<Highlight> out = new ArrayList<>();
    for (JsonNode item : items) {
      if (!item.isObject() || item.size() != 3 || !item.path("id").isInt() || !item.path("title").isTextual()
          || !item.path("reason").isTextual()) {
        throw new RankingFailed("a highlight is not {id: integer, title: string, reason: string}: " + item);
      }
      int id = item.get("id").asInt();
      String title = item.get("title").asText().strip();
      if (id < 1 || id > pool.size() || !seen.add(id)) {
        throw new RankingFailed("id " + id + " is not one of the " + pool.size() + " candidates, or repeats");
      }
      if (title.isEmpty() || title.length() > MAX_TITLE_CHARS) {
        throw new RankingFailed("title of id " + id + " is empty or longer than " + MAX_TITLE_CHARS + " characters");
      }
      Highlight h = pool.get(id - 1);
      Map<String, Double> features = new LinkedHashMap<>(h.features());
      features.put("featureRank", (double) h.rank());
      out.add(
          new Highlight(
              out.size() + 1, h.startSec(), h.endSec(), h.score(), h.text(), Collections.unmodifiableMap(features),
              title));
    }
    return List.copyOf(out);
  }
}

package io.videopipe.highlight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LlmRankerTest {
  static final ObjectMapper JSON = new ObjectMapper();

  MockWebServer server;
  LlmRanker ranker;

  static final List<Highlight> POOL =
      List.of(
          highlight(1, 10, 30, "we cut latency in half with one cache"),
          highlight(2, 40, 62, "the weather today is fine"),
          highlight(3, 70, 95, "why does nobody measure tail latency"),
          highlight(4, 100, 120, "thanks for coming"));

  static Highlight highlight(int rank, double start, double end, String text) {
    return new Highlight(rank, start, end, 1.0 / rank, text, Map.of("score", 1.0 / rank), "feature title " + rank);
  }

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    ranker =
        new LlmRanker(
            new LlmRanker.Settings(server.url("/v1").toString(), "gpt-test", "sk-secret", Duration.ofMillis(800), 10));
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  /** A chat completion as OpenAI-compatible servers answer it, carrying {@code content} as the assistant message. */
  static String completion(String content, String finishReason) throws Exception {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-abc123");
    root.put("object", "chat.completion");
    root.put("created", 1763900000);
    root.put("model", "gpt-test");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", content);
    message.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    root.putObject("usage").put("prompt_tokens", 412).put("completion_tokens", 61).put("total_tokens", 473);
    return JSON.writeValueAsString(root);
  }

  static MockResponse ok(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }

  @Test
  void aValidAnswerReordersThePoolAndTitlesEachClip() throws Exception {
    server.enqueue(
        ok(completion(
            "{\"highlights\":[{\"id\":3,\"title\":\"Nobody measures tail latency\",\"reason\":\"a sharp question\"},"
                + "{\"id\":1,\"title\":\"Half the latency, one cache\",\"reason\":\"a concrete result\"}]}",
            "stop")));

    List<Highlight> ranked = ranker.rank(POOL, 2);

    assertThat(ranked).extracting(Highlight::rank, Highlight::startSec, Highlight::title)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 70.0, "Nobody measures tail latency"),
            org.assertj.core.groups.Tuple.tuple(2, 10.0, "Half the latency, one cache"));
    assertThat(ranked.get(0).features()).containsEntry("featureRank", 3.0).containsEntry("score", 1.0 / 3);
    assertThat(ranked.get(0).text()).isEqualTo(POOL.get(2).text());

    RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(request.getPath()).isEqualTo("/v1/chat/completions");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer sk-secret");
    JsonNode body = JSON.readTree(request.getBody().readUtf8());
    assertThat(body.get("model").asText()).isEqualTo("gpt-test");
    assertThat(body.at("/response_format/type").asText()).isEqualTo("json_schema");
    assertThat(body.at("/response_format/json_schema/strict").asBoolean()).isTrue();
    assertThat(body.at("/response_format/json_schema/schema")).isEqualTo(LlmRanker.schema());
    assertThat(body.at("/messages/1/content").asText())
        .contains("at most 2", "\"id\":4", "why does nobody measure tail latency");
  }

  @Test
  void malformedContentIsRefused() throws Exception {
    server.enqueue(ok(completion("{\"highlights\":[{\"id\":3,\"title\":\"Nobody", "stop")));

    assertThatThrownBy(() -> ranker.rank(POOL, 2))
        .isInstanceOf(LlmRanker.RankingFailed.class)
        .hasMessageContaining("not JSON");
  }

  @Test
  void anAnswerThatBreaksTheSchemaIsRefused() throws Exception {
    String[] bad = {
      "{\"highlights\":[{\"id\":9,\"title\":\"x\",\"reason\":\"r\"}]}", // not a candidate
      "{\"highlights\":[{\"id\":1,\"title\":\"a\",\"reason\":\"r\"},{\"id\":1,\"title\":\"b\",\"reason\":\"r\"}]}",
      "{\"highlights\":[{\"id\":1,\"title\":\" \",\"reason\":\"r\"}]}", // blank title
      "{\"highlights\":[{\"id\":1,\"title\":\"t\"}]}", // no reason
      "{\"highlights\":[{\"id\":\"1\",\"title\":\"t\",\"reason\":\"r\"}]}", // id as a string
      "{\"highlights\":[],\"extra\":1}",
      "{\"highlights\":[{\"id\":1,\"title\":\"a\",\"reason\":\"r\"},{\"id\":2,\"title\":\"b\",\"reason\":\"r\"},"
          + "{\"id\":3,\"title\":\"c\",\"reason\":\"r\"}]}" // more than maxCount
    };
    for (String content : bad) {
      server.enqueue(ok(completion(content, "stop")));
      assertThatThrownBy(() -> ranker.rank(POOL, 2)).as(content).isInstanceOf(LlmRanker.RankingFailed.class);
    }
  }

  @Test
  void aTruncatedAnswerIsRefused() throws Exception {
    server.enqueue(ok(completion("{\"highlights\":[{\"id\":3,\"title\":\"t\",\"reason\":\"r\"}]}", "length")));

    assertThatThrownBy(() -> ranker.rank(POOL, 2)).hasMessageContaining("cut off (finish_reason length)");
  }

  @Test
  void serverErrorIsRefused() {
    server.enqueue(new MockResponse().setResponseCode(500).setBody("{\"error\":{\"message\":\"overloaded\"}}"));

    assertThatThrownBy(() -> ranker.rank(POOL, 2)).hasMessageContaining("HTTP 500");
  }

  @Test
  void noAnswerWithinTheTimeoutIsRefused() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

    long started = System.nanoTime();
    assertThatThrownBy(() -> ranker.rank(POOL, 2)).hasMessageContaining("no answer within 800 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void theKeyNeverAppearsInTheSettingsText() {
    assertThat(ranker.settings().toString()).doesNotContain("sk-secret").contains("gpt-test");
  }
}

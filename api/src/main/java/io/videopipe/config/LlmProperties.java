package io.videopipe.config;

import io.videopipe.highlight.LlmRanker;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Optional LLM ranking of highlights, under {@code videopipe.highlights.llm}: an OpenAI-compatible chat completions
 * endpoint. Off while {@code base-url} is empty; the key comes from the environment ({@code VIDEOPIPE_LLM_API_KEY}).
 *
 * @param baseUrl the endpoint's base URL ({@code VIDEOPIPE_LLM_BASE_URL}); empty: highlights are ranked by their
 *     features only
 * @param model the chat model ({@code VIDEOPIPE_LLM_MODEL})
 * @param apiKey bearer key of the endpoint ({@code VIDEOPIPE_LLM_API_KEY}); never printed
 * @param timeout longest wait for one ranking answer
 * @param poolSize connections kept to the endpoint
 */
@ConfigurationProperties("videopipe.highlights.llm")
public record LlmProperties(
    @DefaultValue("") String baseUrl,
    @DefaultValue("gpt-4o-mini") String model,
    @DefaultValue("") String apiKey,
    @DefaultValue("30s") Duration timeout,
    @DefaultValue("12") int poolSize) {

  public boolean enabled() {
    return baseUrl != null && !baseUrl.isBlank();
  }

  public LlmRanker.Settings settings() {
    return new LlmRanker.Settings(baseUrl, model, apiKey == null || apiKey.isBlank() ? null : apiKey, timeout, poolSize);
  }

  @Override
  public String toString() {
    return "LlmProperties[baseUrl=" + baseUrl + ", model=" + model + ", timeout=" + timeout + "]";
  }
}

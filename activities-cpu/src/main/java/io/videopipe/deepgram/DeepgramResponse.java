package io.videopipe.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import io.videopipe.route.Engine;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.Utterance;
import io.videopipe.transcribe.Word;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads Deepgram's pre-recorded response ({@code metadata}, {@code results.channels}, {@code results.utterances}). */
final class DeepgramResponse {
  static final String REQUEST_ID = "request_id";
  static final String DURATION = "duration";
  static final String MODEL = "model";

  private DeepgramResponse() {}

  /**
   * The first channel's best alternative as a {@link Transcript}: punctuated words with times, confidence and speaker,
   * plus utterances and the metadata that billing needs.
   */
  static Transcript parse(JsonNode body, String requestedLanguage) {
    JsonNode metadata = body.path("metadata");
    JsonNode channel = body.path("results").path("channels").path(0);
    JsonNode alternative = channel.path("alternatives").path(0);
    if (alternative.isMissingNode()) {
      throw new IllegalStateException("Deepgram answered without results.channels[0].alternatives[0]");
    }
    List<Word> words = new ArrayList<>();
    for (JsonNode w : alternative.path("words")) {
      String text = w.path("punctuated_word").asText(w.path("word").asText(""));
      if (text.isBlank()) {
        continue;
      }
      words.add(
          new Word(
              text,
              w.path("start").asDouble(),
              w.path("end").asDouble(),
              w.path("confidence").asDouble(),
              w.hasNonNull("speaker") ? w.get("speaker").asInt() : null));
    }
    List<Utterance> utterances = new ArrayList<>();
    for (JsonNode u : body.path("results").path("utterances")) {
      utterances.add(
          new Utterance(
              u.path("start").asDouble(),
              u.path("end").asDouble(),
              u.path("confidence").asDouble(),
              u.hasNonNull("speaker") ? u.get("speaker").asInt() : null,
              u.path("transcript").asText("")));
    }
    Map<String, String> meta = new LinkedHashMap<>();
    if (metadata.hasNonNull(REQUEST_ID)) {
      meta.put(REQUEST_ID, metadata.get(REQUEST_ID).asText());
    }
    if (metadata.hasNonNull(DURATION)) {
      meta.put(DURATION, metadata.get(DURATION).asText());
    }
    JsonNode models = metadata.path("models");
    if (models.isArray() && !models.isEmpty()) {
      meta.put(MODEL, models.get(0).asText());
    }
    double duration = metadata.path(DURATION).asDouble(words.isEmpty() ? 0 : words.get(words.size() - 1).end());
    String language = channel.path("detected_language").asText(requestedLanguage);
    return new Transcript(Engine.DEEPGRAM.wireName(), language, duration, words, utterances, meta);
  }

  /** {@code err_msg} of an error body (or {@code message} of the newer error shape); the raw body otherwise. */
  static String errorMessage(JsonNode body, String raw) {
    if (body != null) {
      for (String field : List.of("err_msg", "message", "reason")) {
        if (body.hasNonNull(field) && !body.get(field).asText().isBlank()) {
          return body.get(field).asText();
        }
      }
    }
    String trimmed = raw == null ? "" : raw.strip();
    return trimmed.length() > 300 ? trimmed.substring(0, 300) + "..." : trimmed;
  }
}

package io.videopipe.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** The Temporal remote codec protocol: payloads with base64 metadata and data, encoded and decoded. */
@WebMvcTest(CodecController.class)
@TestPropertySource(properties = "videopipe.codec.key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
class CodecControllerTest {
  @TestConfiguration
  @EnableConfigurationProperties(CodecProperties.class)
  static class Props {}

  @Autowired MockMvc mvc;
  final ObjectMapper json = new ObjectMapper();

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void encodeThenDecodeGivesThePayloadBack() throws Exception {
    String plain =
        "{\"payloads\":[{\"metadata\":{\"encoding\":\"" + b64("json/plain") + "\"},\"data\":\"" + b64("\"hello\"") + "\"}]}";

    String sealed =
        mvc.perform(post("/codec/encode").contentType(MediaType.APPLICATION_JSON).content(plain))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.payloads[0].metadata.encoding").value(b64("binary/encrypted")))
            .andExpect(jsonPath("$.payloads[0].metadata['encryption-key-id']").exists())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(sealed).doesNotContain(b64("\"hello\""));

    JsonNode opened =
        json.readTree(
            mvc.perform(post("/codec/decode").contentType(MediaType.APPLICATION_JSON).content(sealed))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString());
    assertThat(opened.path("payloads").get(0).path("metadata").path("encoding").asText()).isEqualTo(b64("json/plain"));
    assertThat(opened.path("payloads").get(0).path("data").asText()).isEqualTo(b64("\"hello\""));
  }

  @Test
  void aBodyWithoutPayloadsIs400() throws Exception {
    mvc.perform(post("/codec/decode").contentType(MediaType.APPLICATION_JSON).content("{}"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
  }
}

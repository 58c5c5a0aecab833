package io.videopipe.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;

/**
 * The client module is generated from client/src/main/openapi/videopipe.json: it must be what the API serves at
 * /v3/api-docs, or the client calls an API that no longer exists.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiSpecTest {
  static final Path COMMITTED = Path.of("..", "client", "src", "main", "openapi", "videopipe.json");
  static final String REFRESH =
      "mvn -B -pl api -am test -Dtest=OpenApiSpecTest -Dsurefire.failIfNoSpecifiedTests=false -Dvideopipe.openapi.write=true";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  @Autowired TestRestTemplate http;

  @Test
  void theCommittedSpecIsTheLiveOne() throws Exception {
    JsonNode live = JSON.readTree(http.getForObject("/v3/api-docs", String.class));
    // the server URL is the test's random port: not part of the contract
    ((com.fasterxml.jackson.databind.node.ObjectNode) live).remove("servers");
    String liveText = JSON.writeValueAsString(JSON.treeToValue(live, Object.class)) + "\n";
    if (Boolean.getBoolean("videopipe.openapi.write")) {
      Files.writeString(COMMITTED, liveText);
    }
    assertThat(Files.exists(COMMITTED)).as(COMMITTED + " is missing; create it with: " + REFRESH).isTrue();
    // compared as JSON trees: key order and layout do not matter
    assertThat(JSON.readTree(COMMITTED.toFile()))
        .as("the API changed: refresh the client's spec with\n  " + REFRESH + "\nthen rebuild the client module")
        .isEqualTo(JSON.readTree(liveText));
  }
}

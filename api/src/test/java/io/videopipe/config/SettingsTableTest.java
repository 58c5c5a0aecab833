package io.videopipe.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * docs/configuration.md against the configuration metadata the build generates from the properties records: every key
 * on both sides, every default as the code has it, every environment alias listed, and no default written twice.
 */
class SettingsTableTest {
  private static final Path PAGE = Path.of("..", "docs", "configuration.md");
  private static final Pattern CODE = Pattern.compile("`([^`]*)`");

  /** Key to its default in the metadata (absent when the metadata has none). */
  static final Map<String, JsonNode> metadata = new LinkedHashMap<>();
  static final Set<String> metadataKeys = new TreeSet<>();
  /** The videopipe.* values application.yml sets, unresolved. */
  static final Map<String, String> yml = new LinkedHashMap<>();
  static final List<Row> rows = new ArrayList<>();

  record Row(String key, Pattern keys, List<String> environment, String defaultCell) {}

  @BeforeAll
  static void read() throws IOException {
    ObjectMapper json = new ObjectMapper();
    for (URL url : Collections.list(
        SettingsTableTest.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
      try (InputStream in = url.openStream()) {
        for (JsonNode p : json.readTree(in).path("properties")) {
          String name = p.path("name").asText();
          if (name.startsWith("videopipe.")) {
            metadataKeys.add(name);
            if (p.has("defaultValue")) {
              metadata.put(name, p.get("defaultValue"));
            }
          }
        }
      }
    }
    EnumerablePropertySource<?> source =
        (EnumerablePropertySource<?>)
            new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml")).get(0);
    for (String name : source.getPropertyNames()) {
      if (name.startsWith("videopipe.")) {
        yml.put(name, String.valueOf(source.getProperty(name)));
      }
    }
    for (String line : Files.readAllLines(PAGE)) {
      if (!line.startsWith("| `videopipe.")) {
        continue;
      }
      String[] cells = line.split("(?<!\\\\)\\|", -1);
      String key = code(cells[1]).get(0);
      rows.add(new Row(key, Pattern.compile(Pattern.quote(key).replace("*", "\\E[a-z0-9-]+\\Q")), code(cells[2]),
          cells[3].strip()));
    }
  }

  @Test
  void theMetadataIsGeneratedWithDescriptions() {
    assertThat(metadataKeys).contains("videopipe.temporal.address", "videopipe.webhooks.secret", "videopipe.clips.crf",
        "videopipe.engines.hybrid.confidence-threshold", "videopipe.api-url");
    assertThat(metadata.get("videopipe.temporal.address").asText()).isEqualTo("127.0.0.1:7233");
  }

  @Test
  void everyKeyIsOnThePageAndEveryRowIsAKey() {
    assertThat(rows).hasSizeGreaterThan(80);
    List<String> undocumented =
        metadataKeys.stream().filter(k -> rows.stream().noneMatch(r -> r.keys().matcher(k).matches())).toList();
    assertThat(undocumented).as("keys missing from " + PAGE).isEmpty();
    List<String> unknown =
        rows.stream().filter(r -> metadataKeys.stream().noneMatch(k -> r.keys().matcher(k).matches()))
            .map(Row::key).toList();
    assertThat(unknown).as("rows of " + PAGE + " that are no setting").isEmpty();
    assertThat(rows.stream().map(Row::key).distinct().count()).as("one row per key").isEqualTo(rows.size());
  }

  @Test
  void everyDocumentedDefaultIsTheCodesDefault() {
    List<String> wrong = new ArrayList<>();
    for (Row row : rows) {
      List<String> keys = metadataKeys.stream().filter(k -> row.keys().matcher(k).matches()).toList();
      Matcher first = Pattern.compile("^`([^`]*)`").matcher(row.defaultCell());
      for (String key : keys) {
        String actual = defaultOf(key);
        if (actual == null) {
          if (first.find()) {
            wrong.add(key + ": documented " + first.group(1) + ", but it has no default");
          }
          first.reset();
        } else if (!first.find() || !same(first.group(1), actual)) {
          wrong.add(key + ": documented '" + row.defaultCell() + "', the default is `" + actual + "`");
        } else {
          first.reset();
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void noDefaultIsWrittenBothInARecordAndInApplicationYml() {
    assertThat(yml.keySet().stream().filter(metadata::containsKey).toList()).isEmpty();
    assertThat(yml.keySet().stream().filter(k -> !metadataKeys.contains(k)).toList())
        .as("application.yml keys no record binds").isEmpty();
    assertThat(yml.keySet()).noneMatch(k -> k.startsWith("videopipe.prices."));
  }

  @Test
  void everyEnvironmentNameIsAnAliasOrTheRelaxedForm() {
    List<String> wrong = new ArrayList<>();
    EnvironmentAliases.ALIASES.forEach((alias, key) -> {
      if (!metadataKeys.contains(key)) {
        wrong.add(alias + " stands for " + key + ", which is no setting");
      }
      if (rows.stream().noneMatch(r -> r.key().equals(key) && r.environment().contains(alias))) {
        wrong.add(alias + " is not listed in the row of " + key);
      }
    });
    for (Row row : rows) {
      String relaxed = row.key().toUpperCase().replace(".", "_").replace("-", "");
      for (String name : row.environment()) {
        if (!name.equals(relaxed) && !row.key().equals(EnvironmentAliases.ALIASES.get(name))) {
          wrong.add(row.key() + " lists " + name + ", which is neither its alias nor " + relaxed);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** The metadata's default, else application.yml's value; null for "empty" ("", an empty list, none). */
  private static String defaultOf(String key) {
    JsonNode node = metadata.get(key);
    String value;
    if (node == null) {
      value = yml.get(key);
    } else if (node.isArray()) {
      value = String.join(",", StreamSupport.stream(node.spliterator(), false).map(JsonNode::asText).toList());
    } else {
      value = node.asText();
    }
    return value == null || value.isEmpty() ? null : value;
  }

  private static boolean same(String documented, String actual) {
    try {
      return new BigDecimal(documented).compareTo(new BigDecimal(actual)) == 0;
    } catch (NumberFormatException notNumbers) {
      return documented.replace(" ", "").equals(actual.replace(" ", ""));
    }
  }

  private static List<String> code(String cell) {
    List<String> all = new ArrayList<>();
    Matcher m = CODE.matcher(cell);
    while (m.find()) {
      all.add(m.group(1));
    }
    return all;
  }
}

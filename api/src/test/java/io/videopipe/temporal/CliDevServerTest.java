package io.videopipe.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.enums.v1.IndexedValueType;
import io.videopipe.pipeline.SearchAttributes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dev server's command line and the SQLite schema's fixed search attribute slots. */
class CliDevServerTest {

  @Test
  void ourSearchAttributesFitTheSqliteSlots() {
    CliDevServer.checkSlots(SearchAttributes.definitions());
  }

  @Test
  void aFourthTextAttributeIsRefusedNamingTheSchema() {
    Map<String, IndexedValueType> four = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      four.put("T" + i, IndexedValueType.INDEXED_VALUE_TYPE_TEXT);
    }
    assertThatThrownBy(() -> CliDevServer.checkSlots(four))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 custom search attributes of type Text")
        .hasMessageContaining("3 slots");
  }

  @Test
  void commandBindsLoopbackAndRegistersEveryAttribute() {
    CliDevServer.Options o = new CliDevServer.Options(Path.of("/opt/temporal"), "127.0.0.1", 7233, 8233, 0, 0,
        Path.of("/data/temporal/temporal.db"), Path.of("/data/temporal/temporal.log"), "default",
        SearchAttributes.definitions(), "", List.of(), false);
    List<String> c = o.command(7243, 7244);
    assertThat(String.join(" ", c))
        .startsWith("/opt/temporal server start-dev --ip 127.0.0.1 --port 7233 --http-port 7243 --metrics-port 7244"
            + " --db-filename /data/temporal/temporal.db")
        .contains("--ui-ip 127.0.0.1 --ui-port 8233")
        .contains("--search-attribute VpStep=Keyword", "--search-attribute VpRoute=Text",
            "--search-attribute VpPriority=Int", "--search-attribute VpCostUsd=Double")
        .contains("--dynamic-config-value matching.useNewMatcher=true",
            "--dynamic-config-value matching.numTaskqueueReadPartitions=1",
            "--dynamic-config-value matching.numTaskqueueWritePartitions=1")
        .doesNotContain("--headless", "--ui-codec-endpoint");
  }
}

package io.videopipe.pipeline;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Custom search attributes that make a job readable and filterable in the Temporal Web UI. */
public final class SearchAttributes {
  public static final SearchAttributeKey<String> STEP = SearchAttributeKey.forKeyword("VpStep");
  public static final SearchAttributeKey<String> ENGINE = SearchAttributeKey.forKeyword("VpEngine");
  public static final SearchAttributeKey<Long> PRIORITY = SearchAttributeKey.forLong("VpPriority");
  public static final SearchAttributeKey<Double> COST_USD = SearchAttributeKey.forDouble("VpCostUsd");
  public static final SearchAttributeKey<String> STATUS = SearchAttributeKey.forKeyword("VpStatus");
  /** The route plan's one-line reason, full-text searchable (e.g. {@code VpRoute = "budget"}). */
  public static final SearchAttributeKey<String> ROUTE = SearchAttributeKey.forText("VpRoute");

  /**
   * The tenant that owns the job (or bulk run), set when it starts and never changed: the listing filters on it. The
   * fourth Keyword attribute; the dev server's SQLite visibility has ten Keyword slots.
   */
  public static final SearchAttributeKey<String> TENANT = SearchAttributeKey.forKeyword("VpTenant");

  public static final List<SearchAttributeKey<?>> ALL =
      List.of(STEP, ENGINE, PRIORITY, COST_USD, STATUS, ROUTE, TENANT);

  /**
   * Name and index type of every attribute above, for registering them on a server before the first job starts:
   * {@code TestWorkflowEnvironment.registerSearchAttribute(name, type)} or OperatorService {@code
   * AddSearchAttributes}. Upserting an unregistered attribute fails the workflow task.
   */
  public static Map<String, IndexedValueType> definitions() {
    Map<String, IndexedValueType> byName = new LinkedHashMap<>();
    for (SearchAttributeKey<?> key : ALL) {
      byName.put(key.getName(), key.getValueType());
    }
    return Collections.unmodifiableMap(byName);
  }

  private SearchAttributes() {}
}

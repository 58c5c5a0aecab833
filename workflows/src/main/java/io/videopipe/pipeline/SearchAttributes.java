package io.videopipe.pipeline;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/** Custom search attributes that make a job readable and filterable in the Temporal Web UI. */
public final class SearchAttributes {
  public static final SearchAttributeKey<String> STEP = SearchAttributeKey.forKeyword("VpStep");
  public static final SearchAttributeKey<String> ENGINE = SearchAttributeKey.forKeyword("VpEngine");
  public static final SearchAttributeKey<Long> PRIORITY = SearchAttributeKey.forLong("VpPriority");
  public static final SearchAttributeKey<Double> COST_USD = SearchAttributeKey.forDouble("VpCostUsd");
  public static final SearchAttributeKey<String> STATUS = SearchAttributeKey.forKeyword("VpStatus");

  public static final List<SearchAttributeKey<?>> ALL = List.of(STEP, ENGINE, PRIORITY, COST_USD, STATUS);

  private SearchAttributes() {}
}

package io.videopipe.cost;

import java.util.List;

/**
 * @param totalUsd the sum of the lines
 * @param lines one line per resource of each step attempt
 * @param alternatives what the same video costs on each engine: the one used (measured) and the others (estimated)
 */
public record CostReport(double totalUsd, List<CostLine> lines, String reportUri, List<EngineCost> alternatives) {}

package io.videopipe.cost;

import java.util.List;

public record CostReport(double totalUsd, List<CostLine> lines, String reportUri) {}

package io.videopipe.ui;

import io.videopipe.jobs.JobSummary;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Jobs and cost per day and per engine, summed from job summaries (days in UTC). */
public record Usage(List<Row> byDay, List<Row> byEngine, int jobs, double costUsd) {

  /** One day or one engine: how many jobs started, and what they cost so far. */
  public record Row(String key, int jobs, double costUsd, String cost) {}

  static Usage of(List<JobSummary> jobs) {
    Map<String, double[]> days = new TreeMap<>();
    Map<String, double[]> engines = new TreeMap<>();
    double total = 0;
    for (JobSummary j : jobs) {
      double usd = j.costUsd() == null ? 0 : j.costUsd();
      total += usd;
      String day = j.startedAt() == null ? "unknown" : LocalDate.ofInstant(j.startedAt(), ZoneOffset.UTC).toString();
      add(days, day, usd);
      add(engines, j.engine() == null ? "(none yet)" : j.engine(), usd);
    }
    return new Usage(rows(days), rows(engines), jobs.size(), total);
  }

  private static void add(Map<String, double[]> m, String key, double usd) {
    double[] v = m.computeIfAbsent(key, k -> new double[2]);
    v[0]++;
    v[1] += usd;
  }

  private static List<Row> rows(Map<String, double[]> m) {
    return m.entrySet().stream()
        .map(e -> new Row(e.getKey(), (int) e.getValue()[0], e.getValue()[1], JobRow.usd(e.getValue()[1])))
        .toList();
  }

  public String cost() {
    return JobRow.usd(costUsd);
  }
}

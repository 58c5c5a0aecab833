package io.videopipe.ui;

import io.videopipe.jobs.JobSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** One line of the dashboard's job list, formatted for people. */
public record JobRow(
    String jobId, String status, String step, int percent, String engine, String priority, String cost, String age,
    String source) {

  static JobRow of(JobSummary s, Instant now) {
    int percent = percentOf(s);
    return new JobRow(
        s.jobId(),
        s.status() == null ? "?" : s.status().name(),
        s.step() == null ? "" : label(s.step()),
        percent,
        s.engine() == null ? "–" : s.engine(),
        s.priority() == null ? "–" : s.priority().toString(),
        usd(s.costUsd()),
        s.startedAt() == null ? "" : age(Duration.between(s.startedAt(), now)),
        s.source() == null ? "" : s.source());
  }

  private static int percentOf(JobSummary s) {
    if (s.status() != null && s.status().name().matches("COMPLETED|NEEDS_REVIEW")) {
      return 100;
    }
    if (s.step() == null) {
      return 0;
    }
    try {
      return io.videopipe.pipeline.Step.valueOf(s.step()).startPercent;
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }

  /** EXTRACT_AUDIO becomes "extract audio". */
  static String label(String step) {
    return step.toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  static String usd(Double usd) {
    if (usd == null) {
      return "–";
    }
    if (usd == 0) {
      return "$0";
    }
    return usd < 0.01 ? String.format(Locale.ROOT, "$%.5f", usd) : String.format(Locale.ROOT, "$%.2f", usd);
  }

  static String age(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return s / 60 + " min";
    }
    if (s < 86400) {
      return s / 3600 + " h";
    }
    return s / 86400 + " d";
  }

  static String seconds(double sec) {
    return sec < 10 ? String.format(Locale.ROOT, "%.1f s", sec) : String.format(Locale.ROOT, "%.0f s", sec);
  }

  static String clock(double sec) {
    long s = (long) sec;
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}

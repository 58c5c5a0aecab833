package io.videopipe.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark grid: whole jobs (download to cost, the embedded defaults, local engine) on looped speech videos of
 * several lengths, one job at a time, and N jobs submitted at once on one clip. Every point runs in its own worker
 * JVM ({@link MemoryProbe}, -Xmx1g, local role) so its RSS, heap and CPU time are that process's alone. Per point: job
 * time as a multiple of the source duration, each step's share of the job (from the job's timings), peak RSS and heap,
 * CPU utilisation (process CPU time / wall / cores), jobs per hour; then the targets, PASS or FAIL each.
 */
final class GridBench {
  /** The 45-minute talk of the non-transcription target. */
  static final double TALK_SEC = 2700;
  static final double NON_TRANSCRIPTION_MAX = 0.10;
  static final double RSS_LIMIT_BYTES = 1L << 30;
  /** Peak RSS counts as flat when the longest input's is at most this multiple of the shortest's. */
  static final double FLAT_RSS_RATIO = 1.10;
  /** Steps in the order the pipeline runs them (keys of the job's timings). */
  static final List<String> STEPS =
      List.of("download", "extract_audio", "route", "transcribe", "highlight", "render", "qa", "cost");

  /** Statuses of a job that ran to its end. */
  static final java.util.Set<String> FINISHED = java.util.Set.of("COMPLETED", "NEEDS_REVIEW");

  private static final double MIB = 1 << 20;

  /**
   * What to run.
   *
   * @param durationsSec single-job input lengths
   * @param jobs concurrency levels, each on a {@code jobSec} clip (one job at a time on that clip is the baseline)
   */
  record Plan(List<Double> durationsSec, List<Integer> jobs, double jobSec) {
    static Plan of(boolean quick, List<Double> durationsSec, List<Integer> jobs, Double jobSec) {
      return new Plan(
          durationsSec != null ? durationsSec : quick ? List.of(60.0, 300.0) : List.of(300.0, 1200.0, 2700.0, 7200.0),
          jobs != null ? jobs : quick ? List.of(2) : List.of(2, 5, 10, 20),
          jobSec != null ? jobSec : quick ? 20 : 120);
    }

    /** "45m", "90s", "2h", or a plain number of minutes. */
    static double seconds(String option, String value) {
      String v = value.toLowerCase(Locale.ROOT);
      double unit = 60;
      if (v.endsWith("s") || v.endsWith("m") || v.endsWith("h")) {
        unit = v.endsWith("s") ? 1 : v.endsWith("m") ? 60 : 3600;
        v = v.substring(0, v.length() - 1);
      }
      try {
        double d = Double.parseDouble(v) * unit;
        if (d >= 1 && Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          option + " needs durations of at least 1 s such as 90s, 45m or 2h (plain numbers are minutes), got '" + value + "'");
    }
  }

  private GridBench() {}

  static Section run(BenchInputs inputs, Plan plan, Path work, PrintStream err) throws Exception {
    Section s = new Section("grid");
    s.detail("plan", Map.of("durationsSec", plan.durationsSec(), "jobs", plan.jobs(), "jobSec", plan.jobSec()));
    s.detail("worker", "child JVM per point: -Xmx1g, local role (embedded Temporal, both workers), engine local");
    List<Point> singles = new ArrayList<>();
    for (double d : plan.durationsSec()) {
      singles.add(point(inputs, "single", d, 1, work, err));
    }
    Point baseline =
        singles.stream()
            .filter(p -> p.sourceSecWanted() == plan.jobSec())
            .findFirst()
            .orElse(null);
    List<Point> concurrent = new ArrayList<>();
    if (!plan.jobs().isEmpty()) {
      if (baseline == null) {
        baseline = point(inputs, "baseline", plan.jobSec(), 1, work, err);
      }
      for (int n : plan.jobs()) {
        concurrent.add(point(inputs, "concurrent", plan.jobSec(), n, work, err));
      }
    }
    List<Point> all = new ArrayList<>(singles);
    if (baseline != null && !singles.contains(baseline)) {
      all.add(baseline);
    }
    all.addAll(concurrent);
    List<Map<String, Object>> points = new ArrayList<>();
    for (Point p : all) {
      points.add(p.toMap());
      figures(s, p);
    }
    s.detail("points", points);
    List<Target> targets = targets(singles, baseline, concurrent);
    List<Map<String, Object>> tm = new ArrayList<>();
    for (Target t : targets) {
      tm.add(t.toMap());
    }
    s.detail("targets", tm);
    s.detail(BenchReport.TABLE, table(all, targets));
    s.note("job time / source = the job's wall time (submit to result) over the source's duration; for N jobs, the"
        + " mean over the jobs, and span / (N x source) is the batch's wall time over all the audio it processed");
    s.note("step shares are each step's seconds in the job's own timings over its total (time waiting for a free"
        + " activity slot counts in the step that waited); 'other' is the workflow time outside any step");
    s.note("done counts COMPLETED and NEEDS_REVIEW jobs (review: how many of them a QA check flagged); retries ="
        + " activity attempts beyond the first, from the histories (retriesByActivity in the points)");
    s.note("+RSS = peak RSS minus the RSS of the started worker (model loaded, before the first job): what the jobs"
        + " added");
    s.note("CPU utilisation = the worker JVM's CPU time / wall time / cores while its jobs ran; machine busy = the whole"
        + " machine's non-idle CPU share over the same time (other processes included): above the worker's figure,"
        + " the difference is what other work took from it");
    return s;
  }

  /**
   * One grid point: what its worker JVM printed, plus the figures derived from it.
   *
   * @param kind single, baseline (one job on the concurrency clip) or concurrent
   */
  record Point(String kind, double sourceSecWanted, int jobs, Map<String, Object> probe) {
    String id() {
      String len = BenchInputs.fmt(sourceSecWanted) + "s";
      return kind.equals("concurrent") ? "jobs" + jobs + "x" + len : kind + len;
    }

    String label() {
      String len = minutes(sourceSecWanted);
      return kind.equals("concurrent") ? jobs + " jobs x " + len : "1 job x " + len + (kind.equals("baseline") ? " (baseline)" : "");
    }

    double sourceSec() {
      double v = num(probe, "sourceSec");
      return Double.isFinite(v) && v > 0 ? v : sourceSecWanted;
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> perJob() {
      return probe.get("perJob") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    /** Jobs that ran to the end: COMPLETED, or NEEDS_REVIEW (completed, a QA check failed). */
    int completed() {
      return (int) perJob().stream().filter(j -> FINISHED.contains(String.valueOf(j.get("status")))).count();
    }

    int needsReview() {
      return (int) perJob().stream().filter(j -> "NEEDS_REVIEW".equals(j.get("status"))).count();
    }

    /** Attempts beyond the first, per activity type, summed over the jobs. */
    @SuppressWarnings("unchecked")
    Map<String, Integer> retries() {
      Map<String, Integer> sum = new java.util.TreeMap<>();
      for (Map<String, Object> j : perJob()) {
        if (j.get("retriesByActivity") instanceof Map<?, ?> m) {
          ((Map<String, Object>) m).forEach((k, v) -> sum.merge(k, ((Number) v).intValue(), Integer::sum));
        }
      }
      return sum;
    }

    double meanWallSec() {
      return perJob().stream().mapToDouble(j -> num(j, "wallSec")).average().orElse(Double.NaN);
    }

    double spanSec() {
      return num(probe, "spanSec");
    }

    double perSource() {
      return meanWallSec() / sourceSec();
    }

    double spanPerTotalSource() {
      return spanSec() / (jobs * sourceSec());
    }

    double jobsPerHour() {
      return jobs / spanSec() * 3600;
    }

    /** Mean over the jobs of each step's seconds / the job's total; "other" is the rest of the total. */
    Map<String, Double> stepShares() {
      Map<String, Double> sum = new LinkedHashMap<>();
      int counted = 0;
      for (Map<String, Object> j : perJob()) {
        if (!(j.get("timings") instanceof Map<?, ?> t) || !(t.get("total") instanceof Number total)
            || total.doubleValue() <= 0) {
          continue;
        }
        counted++;
        double inSteps = 0;
        for (String step : STEPS) {
          double v = t.get(step) instanceof Number n ? n.doubleValue() : 0;
          inSteps += v;
          sum.merge(step, v / total.doubleValue(), Double::sum);
        }
        sum.merge("other", Math.max(0, 1 - inSteps / total.doubleValue()), Double::sum);
      }
      int n = counted;
      Map<String, Double> mean = new LinkedHashMap<>();
      sum.forEach((k, v) -> mean.put(k, v / n));
      return mean;
    }

    /** Everything but transcription: 1 - the transcription's share. */
    double nonTranscriptionShare() {
      Double t = stepShares().get("transcribe");
      return t == null ? Double.NaN : 1 - t;
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id());
      m.put("kind", kind);
      m.put("jobs", jobs);
      m.put("sourceSec", sourceSec());
      m.put("completed", completed());
      m.put("needsReview", needsReview());
      m.put("retriesByActivity", retries());
      m.put("statuses", probe.get("statuses"));
      m.put("meanJobWallSec", BenchReport.finite(meanWallSec()));
      m.put("spanSec", BenchReport.finite(spanSec()));
      m.put("jobPerSource", BenchReport.finite(perSource()));
      m.put("spanPerTotalSource", BenchReport.finite(spanPerTotalSource()));
      m.put("jobsPerHour", BenchReport.finite(jobsPerHour()));
      m.put("peakRssBytes", probe.get("peakRssBytes"));
      m.put("idleRssBytes", probe.get("idleRssBytes"));
      m.put("mallocArenaMax", probe.get("mallocArenaMax"));
      m.put("peakHeapBeforeGcBytes", probe.get("peakHeapBeforeGcBytes"));
      m.put("maxLiveHeapAfterGcBytes", probe.get("maxLiveHeapAfterGcBytes"));
      m.put("processCpuSec", probe.get("processCpuSec"));
      m.put("cpuUtilisation", probe.get("cpuUtilisation"));
      m.put("machineBusy", probe.get("machineBusy"));
      m.put("loadAverageAtEnd", probe.get("loadAverageAtEnd"));
      Map<String, Object> shares = new LinkedHashMap<>();
      stepShares().forEach((k, v) -> shares.put(k, BenchReport.finite(v)));
      m.put("stepShares", shares);
      m.put("nonTranscriptionShare", BenchReport.finite(nonTranscriptionShare()));
      m.put("perJob", perJob());
      return m;
    }
  }

  private static Point point(BenchInputs inputs, String kind, double sec, int jobs, Path work, PrintStream err)
      throws Exception {
    Path input = inputs.speechVideo(sec);
    String dirName = "grid-" + kind + "-" + BenchInputs.fmt(sec) + "s-" + jobs;
    err.printf(Locale.ROOT, "bench: grid %s: %d job(s) on %s (load %.2f) ...%n", kind, jobs, minutes(sec),
        MachineInfo.loadAverage());
    Map<String, Object> probe = MemoryBench.probe(input, work.resolve(dirName), jobs);
    Point p = new Point(kind, sec, jobs, probe);
    err.printf(Locale.ROOT, "bench: grid %s: %d/%d completed, job/source %.3f, peak RSS %.0f MiB, %.0f jobs/h%n",
        p.label(), p.completed(), jobs, p.perSource(), num(probe, "peakRssBytes") / MIB, p.jobsPerHour());
    return p;
  }

  private static void figures(Section s, Point p) {
    String k = p.id();
    String l = p.label() + ": ";
    s.figure(k + "JobPerSource", l + "job time / source", p.perSource(), "x");
    s.figure(k + "NonTranscriptionPct", l + "everything but transcription", p.nonTranscriptionShare() * 100, "%");
    s.figure(k + "PeakRssMib", l + "peak RSS", num(p.probe(), "peakRssBytes") / MIB, "MiB");
    s.figure(k + "PeakHeapMib", l + "peak heap", num(p.probe(), "peakHeapBeforeGcBytes") / MIB, "MiB");
    s.figure(k + "CpuUtilPct", l + "CPU utilisation", num(p.probe(), "cpuUtilisation") * 100, "%");
    s.figure(k + "JobsPerHour", l + "jobs per hour", p.jobsPerHour(), "jobs/h");
  }

  /** One of the targets: PASS, FAIL, or NOT RUN where the grid lacked the points it needs. */
  record Target(String name, String verdict, String measured, String expected) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name);
      m.put("verdict", verdict);
      m.put("measured", measured);
      m.put("expected", expected);
      return m;
    }
  }

  static List<Target> targets(List<Point> singles, Point baseline, List<Point> concurrent) {
    List<Target> out = new ArrayList<>();
    // 1. the 45-minute talk: everything but transcription at most 10 % of the job
    String expected1 = "<= " + pct(NON_TRANSCRIPTION_MAX) + " on the 45-min talk";
    Point talk = singles.stream().filter(p -> p.sourceSecWanted() == TALK_SEC).findFirst().orElse(null);
    if (talk != null) {
      double share = talk.nonTranscriptionShare();
      out.add(new Target("nonTranscriptionShare45m", share <= NON_TRANSCRIPTION_MAX && talk.completed() == 1 ? "PASS" : "FAIL",
          pct(share) + " of " + secs(talk.meanWallSec()) + " (" + shareLine(talk) + ")", expected1));
    } else {
      Point longest = singles.stream().max((a, b) -> Double.compare(a.sourceSecWanted(), b.sourceSecWanted())).orElse(null);
      out.add(new Target("nonTranscriptionShare45m", "NOT RUN",
          longest == null ? "no single-job point"
              : "45 min not in the grid; on " + minutes(longest.sourceSecWanted()) + ": " + pct(longest.nonTranscriptionShare()),
          expected1));
    }
    // 2. peak RSS flat with input length and under 1 GB
    String expected2 = "longest/shortest <= " + FLAT_RSS_RATIO + " and every peak < 1 GiB, 5 to 120 min";
    List<Point> measured = singles.stream().filter(p -> num(p.probe(), "peakRssBytes") > 0).toList();
    if (measured.size() < 2) {
      out.add(new Target("peakRssFlatUnder1GiB", "NOT RUN", "needs two single-job lengths", expected2));
    } else {
      Point shortest = measured.stream().min((a, b) -> Double.compare(a.sourceSecWanted(), b.sourceSecWanted())).get();
      Point longest = measured.stream().max((a, b) -> Double.compare(a.sourceSecWanted(), b.sourceSecWanted())).get();
      double ratio = num(longest.probe(), "peakRssBytes") / num(shortest.probe(), "peakRssBytes");
      double max = measured.stream().mapToDouble(p -> num(p.probe(), "peakRssBytes")).max().getAsDouble();
      boolean pass = ratio <= FLAT_RSS_RATIO && max < RSS_LIMIT_BYTES;
      StringBuilder m = new StringBuilder();
      for (Point p : measured) {
        m.append(m.isEmpty() ? "" : ", ").append(minutes(p.sourceSecWanted())).append(' ')
            .append(String.format(Locale.ROOT, "%.0f MiB", num(p.probe(), "peakRssBytes") / MIB));
      }
      m.append(String.format(Locale.ROOT, "; ratio %.2f", ratio));
      // what the job added on top of the started worker: start-up RSS alone varies by 100 MiB or more between JVMs
      m.append(String.format(Locale.ROOT, "; peak over the started worker %.0f vs %.0f MiB",
          (num(shortest.probe(), "peakRssBytes") - num(shortest.probe(), "idleRssBytes")) / MIB,
          (num(longest.probe(), "peakRssBytes") - num(longest.probe(), "idleRssBytes")) / MIB));
      if (shortest.sourceSecWanted() > 300 || longest.sourceSecWanted() < 7200) {
        m.append(" (covers ").append(minutes(shortest.sourceSecWanted())).append(" to ")
            .append(minutes(longest.sourceSecWanted())).append(" only)");
      }
      out.add(new Target("peakRssFlatUnder1GiB", pass ? "PASS" : "FAIL", m.toString(), expected2));
    }
    // 3. N jobs at once all complete, with throughput at least one job at a time's
    String expected3 = "all complete; jobs/h >= one job at a time's, up to 20 jobs";
    if (concurrent.isEmpty() || baseline == null) {
      out.add(new Target("concurrentJobs", "NOT RUN", "no concurrency level in the grid", expected3));
    } else {
      boolean pass = baseline.completed() == 1;
      StringBuilder m = new StringBuilder(String.format(Locale.ROOT, "1 at a time %.0f jobs/h", baseline.jobsPerHour()));
      int maxN = 0;
      for (Point p : concurrent) {
        pass &= p.completed() == p.jobs() && p.jobsPerHour() >= baseline.jobsPerHour();
        String review = p.needsReview() > 0 ? ", " + p.needsReview() + " needing review" : "";
        maxN = Math.max(maxN, p.jobs());
        m.append(String.format(Locale.ROOT, "; N=%d: %d/%d completed%s, %.0f jobs/h (%.2fx)", p.jobs(), p.completed(),
            p.jobs(), review, p.jobsPerHour(), p.jobsPerHour() / baseline.jobsPerHour()));
      }
      if (maxN < 20) {
        m.append(" (up to N=").append(maxN).append(" only)");
      }
      out.add(new Target("concurrentJobs", pass ? "PASS" : "FAIL", m.toString(), expected3));
    }
    return out;
  }

  static String table(List<Point> points, List<Target> targets) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"grid point", "done", "review", "retries", "job/src", "span/src", "jobs/h", "RSS MiB", "+RSS MiB", "heap MiB", "CPU %",
        "busy %", "non-tr %", "step shares % (download extract route transcribe highlight render qa cost other)"});
    for (Point p : points) {
      StringBuilder shares = new StringBuilder();
      p.stepShares().forEach((k, v) -> shares.append(shares.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.1f", v * 100)));
      rows.add(new String[] {
        p.label(),
        p.completed() + "/" + p.jobs(),
        Integer.toString(p.needsReview()),
        Integer.toString(p.retries().values().stream().mapToInt(Integer::intValue).sum()),
        BenchReport.number(p.perSource()),
        BenchReport.number(p.spanPerTotalSource()),
        BenchReport.number(p.jobsPerHour()),
        BenchReport.number(num(p.probe(), "peakRssBytes") / MIB),
        BenchReport.number((num(p.probe(), "peakRssBytes") - num(p.probe(), "idleRssBytes")) / MIB),
        BenchReport.number(num(p.probe(), "peakHeapBeforeGcBytes") / MIB),
        BenchReport.number(num(p.probe(), "cpuUtilisation") * 100),
        BenchReport.number(num(p.probe(), "machineBusy") * 100),
        BenchReport.number(p.nonTranscriptionShare() * 100),
        shares.toString()
      });
    }
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder out = new StringBuilder("grid (one worker JVM per point, -Xmx1g, local engine)\n");
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        String cell = i == r.length - 1 ? r[i]
            : i == 0 ? r[i] + " ".repeat(width[i] - r[i].length())
            : " ".repeat(width[i] - r[i].length()) + r[i];
        out.append(i == 0 ? "" : "  ").append(cell);
      }
      out.append('\n');
    }
    for (Target t : targets) {
      out.append(String.format(Locale.ROOT, "%-7s %s: %s (target: %s)%n", t.verdict(), t.name(), t.measured(), t.expected()));
    }
    return out.toString();
  }

  private static String shareLine(Point p) {
    StringBuilder b = new StringBuilder();
    p.stepShares().forEach((k, v) -> {
      if (!k.equals("transcribe")) {
        b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(String.format(Locale.ROOT, "%.1f %%", v * 100));
      }
    });
    return b.toString();
  }

  static String minutes(double sec) {
    return sec < 60 ? BenchInputs.fmt(sec) + " s" : BenchInputs.fmt(Math.round(sec / 6.0) / 10.0) + " min";
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f %%", share * 100);
  }

  private static String secs(double s) {
    return String.format(Locale.ROOT, "%.0f s", s);
  }

  static double num(Map<String, Object> r, String key) {
    return r.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}

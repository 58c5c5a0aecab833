package io.videopipe.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** All sections of one run, as an aligned text table and as JSON. */
final class BenchReport {
  /** Detail key of a section's own preformatted table, printed after the figures. */
  static final String TABLE = "table";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final MachineInfo machine;
  private final boolean quick;
  private final Instant startedAt;
  private final List<Section> sections = new ArrayList<>();
  private double loadAverageAtEnd = Double.NaN;

  BenchReport(MachineInfo machine, boolean quick, Instant startedAt) {
    this.machine = machine;
    this.quick = quick;
    this.startedAt = startedAt;
  }

  void add(Section section) {
    sections.add(section);
  }

  List<Section> sections() {
    return sections;
  }

  void finish(double loadAverage) {
    loadAverageAtEnd = loadAverage;
  }

  String table() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"section", "figure", "value", "unit"});
    for (Section s : sections) {
      if (s.status() != Section.Status.OK) {
        rows.add(new String[] {s.name(), s.status().name().toLowerCase(Locale.ROOT), "", ""});
      }
      for (Figure f : s.figures()) {
        rows.add(new String[] {s.name(), f.label(), number(f.value()), f.unit()});
      }
    }
    int[] width = new int[4];
    for (String[] r : rows) {
      for (int i = 0; i < 4; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("videopipe bench").append(quick ? " --quick (short inputs: indicative only)" : "").append('\n');
    out.append("machine: ").append(machine.oneLine());
    out.append(String.format(Locale.ROOT, ", at end %.2f%n", loadAverageAtEnd));
    for (String[] r : rows) {
      // label left, number right-aligned so decimal points line up roughly
      out.append(pad(r[0], width[0])).append("  ").append(pad(r[1], width[1])).append("  ");
      out.append(" ".repeat(width[2] - r[2].length())).append(r[2]).append("  ").append(r[3]);
      out.append('\n');
    }
    for (Section s : sections) {
      // a section's own table (the grid's), after the figures
      if (s.details().get(TABLE) instanceof String t) {
        out.append('\n').append(t);
      }
    }
    for (Section s : sections) {
      for (String note : s.notes()) {
        out.append("note (").append(s.name()).append("): ").append(note).append('\n');
      }
    }
    return out.toString();
  }

  Map<String, Object> toMap() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("mode", quick ? "quick" : "full");
    root.put("startedAt", startedAt.toString());
    Map<String, Object> m = machine.toMap();
    m.put("loadAverageAtEnd", loadAverageAtEnd);
    root.put("machine", m);
    Map<String, Object> all = new LinkedHashMap<>();
    for (Section s : sections) {
      Map<String, Object> sm = new LinkedHashMap<>();
      sm.put("status", s.status().name().toLowerCase(Locale.ROOT));
      Map<String, Object> figures = new LinkedHashMap<>();
      for (Figure f : s.figures()) {
        Map<String, Object> fm = new LinkedHashMap<>();
        fm.put("value", finite(f.value()));
        fm.put("unit", f.unit());
        fm.put("label", f.label());
        figures.put(f.key(), fm);
      }
      sm.put("figures", figures);
      sm.put("details", s.details());
      sm.put("notes", s.notes());
      all.put(s.name(), sm);
    }
    root.put("sections", all);
    return root;
  }

  String json() throws IOException {
    return JSON.writeValueAsString(toMap());
  }

  /** JSON has no NaN: an unmeasured figure is null. */
  static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** Three significant digits or so, never scientific notation. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    double a = Math.abs(v);
    String fmt = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, fmt, v);
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }
}

package io.videopipe.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The outcome of one benchmark section: its figures for the table, raw details and notes for the JSON. */
final class Section {
  enum Status {
    OK,
    SKIPPED,
    FAILED
  }

  private final String name;
  private Status status = Status.OK;
  private final List<Figure> figures = new ArrayList<>();
  private final Map<String, Object> details = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();

  Section(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  Status status() {
    return status;
  }

  List<Figure> figures() {
    return figures;
  }

  Map<String, Object> details() {
    return details;
  }

  List<String> notes() {
    return notes;
  }

  Section figure(String key, String label, double value, String unit) {
    figures.add(new Figure(key, label, value, unit));
    return this;
  }

  Section detail(String key, Object value) {
    details.put(key, value);
    return this;
  }

  Section note(String note) {
    notes.add(note);
    return this;
  }

  Section skipped(String why) {
    status = Status.SKIPPED;
    notes.add(why);
    return this;
  }

  Section failed(String why) {
    status = Status.FAILED;
    notes.add(why);
    return this;
  }
}

package io.videopipe.ui;

import io.videopipe.clip.ClipFormat;
import io.videopipe.clip.ClipOptions;
import io.videopipe.cost.CostLine;
import io.videopipe.cost.EngineCost;
import io.videopipe.jobs.JobView;
import io.videopipe.pipeline.JobResult;
import io.videopipe.pipeline.JobStatus;
import io.videopipe.pipeline.Step;
import io.videopipe.qa.QaCheck;
import io.videopipe.transcribe.Word;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the job page shows, computed from the job view and its artifacts, formatted for people. */
public record JobPageModel(
    JobView job,
    String source,
    List<TimelineStep> timeline,
    String plan,
    List<String> fallbacks,
    List<Line> transcript,
    String transcriptNote,
    List<ClipView> clips,
    List<QaCheck> qa,
    Boolean qaPassed,
    List<CostLine> costLines,
    String costTotal,
    List<Bar> alternatives,
    String temporalUiLink) {

  /** One step of the timeline: done, current, failed or pending, with its duration once known. */
  public record TimelineStep(String name, String state, String duration) {}

  /** A line of the transcript: its start and its words (each a button that seeks the player). */
  public record Line(String clock, List<Word> words) {}

  /**
   * A highlight and its rendered clip: every frame it was rendered in ({@code clips.aspects}), the primary first, or
   * the one primary file.
   */
  public record ClipView(
      int rank, String title, String score, double startSec, double endSec, String span, String text, String vttUrl,
      List<Frame> frames) {

    /** Whether any of its files is still in storage. */
    public boolean available() {
      return frames.stream().anyMatch(Frame::available);
    }
  }

  /**
   * One file of a clip: its frame's label ({@code 16:9}, {@code 9:16}, {@code 1:1}; null for a clip rendered in one
   * frame) and picture size, its player's element id and its download path; {@code available} is false when the file
   * is no longer in storage.
   */
  public record Frame(
      String label, String size, String elementId, String url, boolean available, boolean primary,
      String downloadLabel) {}

  /** One engine alternative of the cost ledger as a bar of the inline chart. */
  public record Bar(String engine, String usd, int width, boolean actual, int y) {}

  static final int BAR_MAX = 220;
  static final int WORDS_PER_LINE = 12;

  static List<TimelineStep> timeline(JobView job) {
    JobResult r = job.result();
    Map<String, Double> timings = r == null || r.timings() == null ? Map.of() : r.timings();
    Step current = null;
    if (job.step() != null) {
      try {
        current = Step.valueOf(job.step());
      } catch (IllegalArgumentException e) {
        current = null;
      }
    }
    List<TimelineStep> steps = new ArrayList<>();
    for (Step s : Step.values()) {
      if (s == Step.QUEUED || s == Step.DONE) {
        continue;
      }
      String key = s.name().toLowerCase(Locale.ROOT);
      Double sec = timings.get(key);
      String state;
      if (sec != null) {
        state = "done";
      } else if (job.open()) {
        state = current == null || s.ordinal() > current.ordinal() ? "pending"
            : s == current ? "current" : "done";
      } else if (job.status() == JobStatus.FAILED || job.status() == JobStatus.CANCELLED) {
        state = "skipped";
      } else {
        state = "skipped";
      }
      if (s == Step.REFINE && sec == null && !"current".equals(state)) {
        continue; // only hybrid jobs refine
      }
      steps.add(new TimelineStep(JobRow.label(s.name()), state, sec == null ? "" : JobRow.seconds(sec)));
    }
    return steps;
  }

  /** Familiar shapes a source frame is labelled with, as width:height. */
  static final List<int[]> FAMILIAR_SHAPES =
      List.of(new int[] {16, 9}, new int[] {9, 16}, new int[] {4, 3}, new int[] {3, 4}, new int[] {1, 1},
          new int[] {21, 9});

  /**
   * How a frame is labelled: the cropped frames by their aspect, the source's frame by the familiar shape within 1 %
   * of its own ({@code 16:9} for 426x240, whose width encoders keep even), else {@code source}.
   */
  static String frameLabel(ClipFormat format) {
    if (!ClipOptions.SOURCE.equals(format.aspect())) {
      return format.aspect();
    }
    if (format.width() <= 0 || format.height() <= 0) {
      return ClipOptions.SOURCE;
    }
    double ratio = format.width() / (double) format.height();
    for (int[] shape : FAMILIAR_SHAPES) {
      double familiar = shape[0] / (double) shape[1];
      if (Math.abs(ratio - familiar) <= 0.01 * familiar) {
        return shape[0] + ":" + shape[1];
      }
    }
    return ClipOptions.SOURCE;
  }

  static List<Line> lines(List<Word> words) {
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < words.size(); i += WORDS_PER_LINE) {
      List<Word> chunk = words.subList(i, Math.min(words.size(), i + WORDS_PER_LINE));
      lines.add(new Line(JobRow.clock(chunk.get(0).start()), chunk));
    }
    return lines;
  }

  /** Failed checks first, then in the report's order. */
  static List<QaCheck> qaFailedFirst(List<QaCheck> checks) {
    List<QaCheck> sorted = new ArrayList<>(checks);
    sorted.sort(Comparator.comparing(QaCheck::passed));
    return sorted;
  }

  static List<Bar> bars(List<EngineCost> alternatives) {
    double max = alternatives.stream().mapToDouble(EngineCost::totalUsd).max().orElse(0);
    List<Bar> bars = new ArrayList<>();
    int y = 0;
    for (EngineCost e : alternatives) {
      int width = max <= 0 ? 0 : (int) Math.max(2, Math.round(e.totalUsd() / max * BAR_MAX));
      bars.add(new Bar(e.engine().name().toLowerCase(Locale.ROOT), JobRow.usd(e.totalUsd()), width, e.actual(), y));
      y += 26;
    }
    return bars;
  }
}

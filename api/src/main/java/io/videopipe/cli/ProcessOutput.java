package io.videopipe.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.videopipe.audio.MediaInfo;
import io.videopipe.clip.RenderedClip;
import io.videopipe.cost.CostReport;
import io.videopipe.pipeline.ErrorInfo;
import io.videopipe.pipeline.JobResult;
import io.videopipe.pipeline.TranscriptionSummary;
import io.videopipe.qa.QaReport;
import java.util.List;
import java.util.Map;

/** The JSON the {@code process} command prints on stdout: one object per job. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProcessOutput(
    String jobId,
    String status,
    Source source,
    TranscriptionSummary transcription,
    List<HighlightLine> highlights,
    List<RenderedClip> clips,
    QaReport qa,
    CostReport cost,
    Timings timings,
    String artifactsDir,
    Map<String, String> files,
    ErrorInfo error) {

  public record Source(
      String uri,
      long sizeBytes,
      String sha256,
      Double durationSec,
      String container,
      List<MediaInfo.VideoStream> video,
      List<MediaInfo.AudioStream> audio) {}

  public record HighlightLine(
      int rank, String title, double startSec, double endSec, double score, String text, Map<String, Double> features) {}

  public record Timings(Double totalSec, Map<String, Double> steps) {}

  /**
   * @param fullText the whole transcript text (the result carries only a preview)
   * @param artifacts format to local path (after copying to the output directory)
   * @param files every export by name to its local path (after copying), or null to list the result's URIs
   */
  static ProcessOutput of(
      JobResult r, String fullText, Map<String, String> artifacts, String artifactsDir, Map<String, String> files) {
    Source source = null;
    if (r.source() != null) {
      MediaInfo m = r.source().media();
      source =
          new Source(
              r.source().uri(),
              r.source().sizeBytes(),
              r.source().sha256(),
              m == null ? null : m.durationSec(),
              m == null ? null : m.container(),
              m == null ? null : m.video(),
              m == null ? null : m.audio());
    }
    TranscriptionSummary transcription = null;
    if (r.transcription() != null) {
      var t = r.transcription();
      transcription =
          new TranscriptionSummary(
              t.engine(),
              t.fallbacks(),
              t.plan(),
              t.words(),
              t.meanConfidence(),
              fullText != null ? fullText : t.text(),
              artifacts != null ? artifacts : t.artifacts());
    }
    List<HighlightLine> highlights =
        r.highlights() == null
            ? null
            : r.highlights().stream()
                .map(h -> new HighlightLine(h.rank(), h.title(), h.startSec(), h.endSec(), h.score(), h.text(), h.features()))
                .toList();
    Timings timings = null;
    if (r.timings() != null && !r.timings().isEmpty()) {
      Map<String, Double> steps = new java.util.LinkedHashMap<>(r.timings());
      Double total = steps.remove("total");
      timings = new Timings(total, steps);
    }
    return new ProcessOutput(
        r.jobId(),
        r.status().name(),
        source,
        transcription,
        highlights,
        r.clips() == null || r.clips().isEmpty() ? null : r.clips(),
        r.qa(),
        r.cost(),
        timings,
        artifactsDir,
        files != null ? files : r.artifacts() == null || r.artifacts().isEmpty() ? null : r.artifacts(),
        r.error());
  }

}

package io.videopipe.pipeline;

import io.videopipe.audio.ExtractedAudio;
import io.videopipe.clip.RenderedClip;
import io.videopipe.cost.CostReport;
import io.videopipe.download.StoredSource;
import io.videopipe.highlight.HighlightSet;
import io.videopipe.qa.QaReport;
import io.videopipe.route.RoutePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the job has produced so far, step by step, and the {@link JobResult} made of it: a finished job's, or a failed
 * or cancelled one's partial result.
 */
final class JobOutputs {
  /** 16 kHz mono 16-bit PCM, the format ExtractAudio writes. */
  private static final long WAV_BYTES_PER_SEC = 32_000;

  StoredSource stored;
  ExtractedAudio audio;
  RoutePlan plan;
  TranscriptionSummary transcription;
  /** Engines (and a refinement) that failed, in order, each "engine: reason". */
  final List<String> fallbacks = new ArrayList<>();
  HighlightSet highlights;
  /** Rendered clips by rank. */
  final Map<Integer, RenderedClip> clips = new TreeMap<>();
  QaReport qa;
  CostReport cost;

  /**
   * Bytes the job keeps: the WAV and the clips always, the source copy only when asked to keep it; text artifacts are
   * negligible.
   */
  long storedBytes(boolean keepSource) {
    return Math.round(audio.audioDurationSec() * WAV_BYTES_PER_SEC) + (keepSource ? stored.sizeBytes() : 0)
        + clips.values().stream().mapToLong(RenderedClip::storedBytes).sum();
  }

  JobResult result(String jobId, JobRequest request, JobStatus status, ErrorInfo error, Map<String, Double> timings) {
    SourceInfo source =
        stored == null
            ? new SourceInfo(request.sourceDisplay(), null, 0, null, null)
            : new SourceInfo(
                stored.sourceUri(), stored.storedUri(), stored.sizeBytes(), stored.sha256(),
                audio == null ? null : audio.media());
    TranscriptionSummary summary = transcription;
    if (summary == null && plan != null) {
      summary = new TranscriptionSummary(null, List.copyOf(fallbacks), plan.reason(), 0, 0, null, Map.of());
    }
    return new JobResult(
        jobId,
        status,
        source,
        summary,
        highlights == null ? List.of() : highlights.highlights(),
        List.copyOf(clips.values()),
        qa,
        cost,
        artifacts(request.keepSource(), summary),
        timings,
        error);
  }

  /** Every export the job has written so far, by file name. */
  private Map<String, String> artifacts(boolean keepSource, TranscriptionSummary summary) {
    JobPaths.Exports out = new JobPaths.Exports();
    if (stored != null && keepSource) {
      out.source(stored.storedUri());
    }
    if (audio != null) {
      out.audio(audio.audioUri());
    }
    if (summary != null && summary.artifacts() != null) {
      summary.artifacts().forEach(out::transcript);
    }
    if (highlights != null) {
      out.highlights(highlights.highlightsUri());
    }
    for (RenderedClip c : clips.values()) {
      out.clip(c.rank(), c.clipUri(), c.srtUri(), c.vttUri());
      if (c.formats() != null) {
        // the first is the primary, exported as clip-NN.mp4 above
        c.formats().stream().skip(1).forEach(f -> out.clipFormat(c.rank(), f.aspect(), f.clipUri()));
      }
    }
    if (qa != null && qa.reportUri() != null) {
      out.qa(qa.reportUri());
    }
    if (cost != null && cost.reportUri() != null) {
      out.cost(cost.reportUri());
    }
    return out.byName();
  }
}

package io.videopipe.pipeline;

import io.videopipe.clip.RenderedClip;
import io.videopipe.cost.CostReport;
import io.videopipe.highlight.Highlight;
import io.videopipe.qa.QaReport;
import java.util.List;
import java.util.Map;

/**
 * Outcome of one job. A failed or cancelled job carries what was done before it stopped plus {@code error}.
 *
 * @param clips the rendered highlight clips, by rank
 * @param artifacts every export of the job by name (e.g. "transcript.json", "clip-01.mp4", "qa.json") and its URI
 * @param timings seconds per step name, plus "total"
 */
public record JobResult(
    String jobId,
    JobStatus status,
    SourceInfo source,
    TranscriptionSummary transcription,
    List<Highlight> highlights,
    List<RenderedClip> clips,
    QaReport qa,
    CostReport cost,
    Map<String, String> artifacts,
    Map<String, Double> timings,
    ErrorInfo error) {}

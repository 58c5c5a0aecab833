package io.videopipe.pipeline;

import io.videopipe.cost.CostReport;
import io.videopipe.highlight.Highlight;
import io.videopipe.qa.QaReport;
import java.util.List;
import java.util.Map;

/**
 * Outcome of one job. A failed or cancelled job carries what was done before it stopped plus {@code error}.
 *
 * @param timings seconds per step name, plus "total"
 */
public record JobResult(
    String jobId,
    JobStatus status,
    SourceInfo source,
    TranscriptionSummary transcription,
    List<Highlight> highlights,
    QaReport qa,
    CostReport cost,
    Map<String, Double> timings,
    ErrorInfo error) {}

package io.videopipe.qa;

import io.videopipe.highlight.Highlight;
import io.videopipe.highlight.HighlightOptions;
import java.util.List;

public record QaRequest(
    String jobId,
    String audioUri,
    String transcriptUri,
    double sourceDurationSec,
    List<Highlight> highlights,
    HighlightOptions options) {}

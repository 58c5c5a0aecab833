package io.videopipe.qa;

import io.videopipe.highlight.Highlight;
import io.videopipe.highlight.HighlightOptions;
import java.util.List;

/** @param expectedAudioSec how long the extracted audio should be ({@link io.videopipe.audio.MediaInfo#expectedAudioSec()}) */
public record QaRequest(
    String jobId,
    String audioUri,
    String transcriptUri,
    double expectedAudioSec,
    List<Highlight> highlights,
    HighlightOptions options) {}

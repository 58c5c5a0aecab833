package io.videopipe.highlight;

import java.util.List;

/** @param highlightsUri highlights.json in storage */
public record HighlightSet(String highlightsUri, List<Highlight> highlights, double computeSec) {}

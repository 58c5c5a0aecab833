package io.videopipe.highlight;

import java.util.List;

/**
 * @param highlightsUri highlights.json in storage
 * @param ranking how the highlights were ranked: "features", "llm:&lt;model&gt;", or "features" with why the LLM ranking
 *     was not used
 */
public record HighlightSet(String highlightsUri, List<Highlight> highlights, double computeSec, String ranking) {}

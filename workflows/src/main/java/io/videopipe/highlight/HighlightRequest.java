package io.videopipe.highlight;

public record HighlightRequest(String jobId, String transcriptUri, String audioUri, HighlightOptions options) {}

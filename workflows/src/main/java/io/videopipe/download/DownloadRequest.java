package io.videopipe.download;

public record DownloadRequest(String jobId, String sourceUri) {}

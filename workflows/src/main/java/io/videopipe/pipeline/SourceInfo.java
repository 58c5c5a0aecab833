package io.videopipe.pipeline;

import io.videopipe.audio.MediaInfo;

/** What we know of the source: where it came from, where our copy is, and what FFmpeg found in it. */
public record SourceInfo(
    String uri, String storedUri, long sizeBytes, String sha256, MediaInfo media) {}

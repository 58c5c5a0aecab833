package io.videopipe.transcribe;

import io.videopipe.route.Engine;

public record TranscribeRequest(String jobId, String audioUri, Engine engine, String language) {}

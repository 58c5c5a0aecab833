package io.videopipe.audio;

public record ExtractAudioRequest(String jobId, String storedUri) {}

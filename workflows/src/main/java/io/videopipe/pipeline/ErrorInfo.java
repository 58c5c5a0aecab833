package io.videopipe.pipeline;

/** Why a job failed: the failure type (see {@link ErrorTypes}) and a message a person understands. */
public record ErrorInfo(String type, String message) {}

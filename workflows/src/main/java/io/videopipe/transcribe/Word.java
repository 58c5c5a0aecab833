package io.videopipe.transcribe;

/** One recognised word with its start and end in seconds of the source timeline and a 0..1 confidence. */
public record Word(String text, double start, double end, double confidence) {}

package io.videopipe.qa;

/**
 * @param name stable check name, e.g. "highlight.duration"
 * @param measured what was measured, with units
 * @param expected the bound it was held to
 */
public record QaCheck(String name, boolean passed, String measured, String expected) {}

package io.videopipe.pipeline;

/**
 * Answer of the {@code progress} query.
 *
 * @param status RUNNING until the workflow ends
 * @param step the step running now
 * @param percent overall percent complete, 0..100
 * @param engine the transcription engine chosen, null before routing
 * @param priority the priority key applied to steps scheduled from now on
 * @param detail one human line about what the job is doing
 */
public record Progress(JobStatus status, Step step, int percent, String engine, int priority, String detail) {}

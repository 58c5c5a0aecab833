package io.videopipe.cost;

import io.videopipe.route.Engine;

/**
 * The job's cost had it been transcribed on one engine; every other step costs what it did.
 *
 * @param transcribeUsd transcription (and refinement) on this engine
 * @param totalUsd the whole job with transcription on this engine
 * @param actual true for the engine that did transcribe the job: its figures are the measured ones
 * @param basis how the figure was obtained, e.g. "measured" or the speed estimate it rests on
 */
public record EngineCost(Engine engine, double transcribeUsd, double totalUsd, boolean actual, String basis) {}

package io.videopipe.audio;

/**
 * Heartbeat details of ExtractAudio.
 *
 * @param percent share of the source's duration decoded, 0..100
 * @param decodedSec seconds of 16 kHz audio written so far
 */
public record ExtractProgress(int percent, double decodedSec) {}

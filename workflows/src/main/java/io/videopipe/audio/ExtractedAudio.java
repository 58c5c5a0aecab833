package io.videopipe.audio;

/**
 * @param audioUri 16 kHz mono s16le WAV in storage
 * @param media what the probe found in the source
 * @param audioDurationSec duration of the extracted audio
 * @param computeSec time spent decoding
 */
public record ExtractedAudio(String audioUri, MediaInfo media, double audioDurationSec, double computeSec) {}

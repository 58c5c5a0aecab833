package io.videopipe.audio;

/**
 * @param audioTrack the audio track to decode: a stream index ("2") or a language ("en", "eng"); null lets ExtractAudio
 *     choose (the default-disposition track, else the first that carries sound)
 */
public record ExtractAudioRequest(String jobId, String storedUri, String audioTrack) {}

package io.videopipe.transcribe;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A speech-to-text engine: the interface Vosk (local), Parakeet (GPU) and Deepgram plug into. Engines read 16 kHz mono
 * s16le WAV and return words on the audio's timeline.
 */
public interface TranscriptionEngine {

  /** Reports the share of audio done, 0..1; engines call it often so the activity can heartbeat. */
  interface ProgressListener {
    void onProgress(double fractionDone);
  }

  /** Whether the engine can take work on this worker now (model present, key configured), with a reason if not. */
  Availability availability();

  /**
   * Transcribes a 16 kHz mono s16le WAV file. Implementations honour thread interruption (activity cancellation) by
   * throwing {@link InterruptedException} between chunks.
   */
  Transcript transcribe(Path wav, String language, ProgressListener progress) throws Exception;

  /**
   * Transcribes audio the engine fetches itself, without a local copy on this worker (e.g. a hosted API reading a
   * signed URL of a {@code gs://} object). Empty when the engine cannot read {@code audio} directly; the caller then
   * passes a local file to {@link #transcribe(Path, String, ProgressListener)}.
   */
  default Optional<Transcript> transcribeRemote(URI audio, String language, ProgressListener progress)
      throws Exception {
    return Optional.empty();
  }

  record Availability(boolean available, String detail) {}
}

package io.videopipe.transcribe;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Transcription, implemented once per queue: the CPU worker serves LOCAL and DEEPGRAM, the GPU worker PARAKEET. Every
 * engine writes the same artifacts under {@code jobs/<jobId>/transcript/}: transcript.json (words with times),
 * transcript.srt, transcript.vtt and transcript.txt.
 */
@ActivityInterface
public interface TranscribeActivities {

  /**
   * Heartbeats the share of audio done. Fails non-retryably with {@code EngineUnavailable} when the requested engine is
   * not configured on this worker.
   */
  @ActivityMethod(name = "Transcribe")
  TranscriptionOutcome transcribe(TranscribeRequest request);
}

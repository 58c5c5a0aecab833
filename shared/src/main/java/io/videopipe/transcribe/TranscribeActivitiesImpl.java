package io.videopipe.transcribe;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.pipeline.JobPaths;
import io.videopipe.route.Engine;
import io.videopipe.storage.LocalFile;
import io.videopipe.storage.Storage;
import io.videopipe.transcribe.TranscriptionEngine.Availability;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transcription with the engines a worker has: the CPU worker registers it with the local engine (and Deepgram when
 * configured), the GPU worker with Parakeet. Every engine's transcript goes through {@link TranscriptStore}, so all
 * engines write the same artifacts.
 */
public class TranscribeActivitiesImpl implements TranscribeActivities {
  private static final Logger log = LoggerFactory.getLogger(TranscribeActivitiesImpl.class);

  private final Storage storage;
  private final TranscriptStore transcripts;
  private final Map<Engine, TranscriptionEngine> engines;

  public TranscribeActivitiesImpl(
      Storage storage, TranscriptStore transcripts, Map<Engine, TranscriptionEngine> engines) {
    this.storage = storage;
    this.transcripts = transcripts;
    this.engines = engines.isEmpty() ? Map.of() : new EnumMap<>(engines);
  }

  @Override
  public TranscriptionOutcome transcribe(TranscribeRequest request) {
    if (request.engine() == null) {
      throw ApplicationFailure.newNonRetryableFailure("no engine requested", ErrorTypes.INVALID_REQUEST);
    }
    TranscriptionEngine engine = engines.get(request.engine());
    Availability availability =
        engine != null
            ? engine.availability()
            : new Availability(
                false,
                request.engine().gpu
                    ? "it runs on the GPU queue"
                    : "it is not configured (engines here: " + engines.keySet() + ")");
    if (!availability.available()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "engine '"
              + request.engine().wireName()
              + "' is not available on this worker: "
              + availability.detail(),
          ErrorTypes.ENGINE_UNAVAILABLE);
    }

    ActivityExecutionContext context = Activity.getExecutionContext();
    try {
      context.heartbeat(0.0);
      Transcript transcript;
      long started = System.nanoTime();
      URI audioUri = URI.create(request.audioUri());
      Optional<Transcript> remote = engine.transcribeRemote(audioUri, request.language(), context::heartbeat);
      if (remote.isPresent()) {
        transcript = remote.get();
      } else {
        try (LocalFile audio = storage.localFile(audioUri)) {
          transcript = engine.transcribe(audio.path(), request.language(), context::heartbeat);
        }
      }
      double computeSec = (System.nanoTime() - started) / 1e9;
      TranscriptionOutcome outcome;
      try {
        outcome = transcripts.write(request.jobId(), request.engine(), transcript, computeSec);
      } catch (IOException | RuntimeException e) {
        deleteTranscript(request.jobId());
        throw e;
      }
      // A cancel that arrived while writing surfaces here and removes what was written.
      context.heartbeat(1.0);
      log.info(
          "job {}: {} transcribed {} s of audio into {} words in {} s",
          request.jobId(),
          request.engine().wireName(),
          String.format("%.1f", outcome.audioSec()),
          outcome.words(),
          String.format("%.1f", computeSec));
      return outcome;
    } catch (ActivityCompletionException e) {
      // Cancelled (or the worker is stopping): the engine has already stopped its recognisers.
      deleteTranscript(request.jobId());
      throw e;
    } catch (FileNotFoundException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "no audio at " + request.audioUri(), ErrorTypes.INVALID_REQUEST, e);
    } catch (UnsupportedAudioFileException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage(), ErrorTypes.UNSUPPORTED_MEDIA, e);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), ErrorTypes.INVALID_REQUEST, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      deleteTranscript(request.jobId());
      throw Activity.wrap(e);
    } catch (Exception e) {
      throw Activity.wrap(e);
    }
  }

  private void deleteTranscript(String jobId) {
    try {
      storage.deletePrefix(storage.jobUri(jobId, JobPaths.TRANSCRIPT));
    } catch (IOException | RuntimeException e) {
      log.warn("job {}: could not delete the partial transcript", jobId, e);
    }
  }
}

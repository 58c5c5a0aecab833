package io.videopipe.audio;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.pipeline.JobPaths;
import io.videopipe.storage.LocalFile;
import io.videopipe.storage.Storage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ExtractAudio on the CPU queue: FFmpeg in-process via bytedeco, storage in and out. */
public final class AudioActivitiesImpl implements AudioActivities {
  private static final Logger log = LoggerFactory.getLogger(AudioActivitiesImpl.class);

  private final Storage storage;
  private final AudioSettings settings;
  private final AudioExtractor extractor;

  public AudioActivitiesImpl(Storage storage, AudioSettings settings) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.extractor = new AudioExtractor(settings.progressEvery().toNanos());
  }

  @Override
  public ExtractedAudio extractAudio(ExtractAudioRequest request) {
    URI source = sourceUri(request);
    URI target = storage.jobUri(request.jobId(), JobPaths.audio());
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    Path tmp = null;
    try (LocalFile local = storage.localFile(source)) {
      Files.createDirectories(settings.tempDir());
      tmp = Files.createTempFile(settings.tempDir(), "audio-" + safe(request.jobId()) + "-", ".wav");
      long start = System.nanoTime();
      AudioExtractor.Result result =
          extractor.extract(
              local.path(),
              tmp,
              request.audioTrack(),
              // A heartbeat throws ActivityCompletionException once cancellation is requested: that ends extraction.
              (fraction, decodedSec) -> ctx.heartbeat(new ExtractProgress((int) (fraction * 100), decodedSec)));
      double computeSec = (System.nanoTime() - start) / 1e9;
      storage.put(tmp, target, true);
      tmp = null;
      if (result.endedEarly() || result.corruptPackets() > 0) {
        log.warn(
            "job {}: extracted {} s of audio from a damaged source ({} corrupt packets, ended early: {})",
            request.jobId(),
            String.format("%.1f", result.durationSec()),
            result.corruptPackets(),
            result.endedEarly());
      }
      return new ExtractedAudio(target.toString(), result.media(), result.durationSec(), computeSec);
    } catch (MediaException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), e.errorType());
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "stored source " + source + " does not exist", ErrorTypes.SOURCE_NOT_FOUND);
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "audio extraction I/O failed: " + e.getMessage(), ErrorTypes.TRANSIENT, e);
    } finally {
      if (tmp != null) {
        deleteQuietly(tmp);
      }
    }
  }

  private URI sourceUri(ExtractAudioRequest request) {
    if (request == null
        || request.jobId() == null
        || request.jobId().isBlank()
        || request.storedUri() == null
        || request.storedUri().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "ExtractAudio needs a jobId and a storedUri: " + request, ErrorTypes.INVALID_REQUEST);
    }
    URI uri;
    try {
      uri = URI.create(request.storedUri());
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "storedUri is not a URI: " + request.storedUri(), ErrorTypes.INVALID_REQUEST);
    }
    if (!storage.owns(uri)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "storedUri " + uri + " is not in this worker's storage " + storage.root(), ErrorTypes.INVALID_REQUEST);
    }
    return uri;
  }

  private static String safe(String jobId) {
    String s = jobId.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.length() > 40 ? s.substring(0, 40) : s;
  }

  private static void deleteQuietly(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      log.warn("cannot delete temporary audio {}", tmp, e);
    }
  }
}

package io.videopipe.refine;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.refine.LowConfidenceWindows.Replacement;
import io.videopipe.refine.LowConfidenceWindows.Window;
import io.videopipe.route.Engine;
import io.videopipe.storage.LocalFile;
import io.videopipe.storage.Storage;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.TranscriptStore;
import io.videopipe.transcribe.TranscriptionEngine;
import io.videopipe.transcribe.TranscriptionOutcome;
import io.videopipe.transcribe.Utterance;
import io.videopipe.transcribe.WavFormat;
import io.videopipe.transcribe.Word;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HYBRID's second pass with Deepgram: the low-confidence windows of the primary transcript ({@link
 * LowConfidenceWindows#find}) are cut out of the job's WAV, sent to Deepgram one by one, and their words replace the
 * primary's. The artifacts are rewritten through {@link TranscriptStore} only after every window is done.
 */
public class RefineActivitiesImpl implements RefineActivities {
  private static final Logger log = LoggerFactory.getLogger(RefineActivitiesImpl.class);
  private static final String REQUEST_ID = "request_id";
  /** Engine metadata key: Deepgram's request ids of the windows, comma-separated. */
  static final String REFINER_REQUEST_IDS = "refiner_request_ids";

  private final Storage storage;
  private final TranscriptStore transcripts;
  private final TranscriptionEngine refiner;
  private final RefineSettings settings;
  private final Path workDir;

  /**
   * @param refiner the Deepgram engine
   * @param workDir where the WAV slices are written (and deleted after each request)
   */
  public RefineActivitiesImpl(
      Storage storage, TranscriptStore transcripts, TranscriptionEngine refiner, RefineSettings settings, Path workDir) {
    this.storage = storage;
    this.transcripts = transcripts;
    this.refiner = refiner;
    this.settings = settings;
    this.workDir = workDir;
  }

  @Override
  public TranscriptionOutcome refineLowConfidence(RefineRequest request) {
    if (request.refiner() != Engine.DEEPGRAM) {
      throw ApplicationFailure.newNonRetryableFailure(
          "refiner '" + (request.refiner() == null ? null : request.refiner().wireName())
              + "' is not available on this worker: only deepgram refines",
          ErrorTypes.ENGINE_UNAVAILABLE);
    }
    TranscriptionEngine.Availability availability = refiner.availability();
    if (!availability.available()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "refiner 'deepgram' is not available on this worker: " + availability.detail(), ErrorTypes.ENGINE_UNAVAILABLE);
    }
    ActivityExecutionContext context = Activity.getExecutionContext();
    try {
      context.heartbeat(0.0);
      long started = System.nanoTime();
      Transcript primary = transcripts.read(URI.create(request.transcriptUri()));
      List<Window> windows;
      List<Replacement> replacements = new ArrayList<>();
      List<Utterance> refinedUtterances = new ArrayList<>();
      List<String> requestIds = new ArrayList<>();
      double sentSec = 0;
      try (LocalFile audio = storage.localFile(URI.create(request.audioUri()))) {
        WavFormat format = WavFormat.read(audio.path());
        windows = LowConfidenceWindows.find(primary.words(), format.durationSec(), settings);
        if (!windows.isEmpty()) {
          Files.createDirectories(workDir);
        }
        for (int i = 0; i < windows.size(); i++) {
          Window window = windows.get(i);
          Path slice = Files.createTempFile(workDir, request.jobId() + "-refine-", ".wav");
          try {
            sentSec += WavSlice.write(audio.path(), format, window.start(), window.end(), slice);
            int done = i;
            int total = windows.size();
            Transcript heard =
                refiner.transcribe(
                    slice, request.language(), fraction -> context.heartbeat((done + fraction) / total));
            replacements.add(new Replacement(window, heard.words()));
            for (Utterance u : heard.utterances()) {
              refinedUtterances.add(
                  new Utterance(
                      u.start() + window.start(), u.end() + window.start(), u.confidence(), u.speaker(), u.text()));
            }
            String id = heard.metadata().get(REQUEST_ID);
            if (id != null) {
              requestIds.add(id);
            }
          } finally {
            Files.deleteIfExists(slice);
          }
        }
      }

      List<Utterance> utterances = new ArrayList<>();
      for (Utterance u : primary.utterances()) {
        if (windows.stream().noneMatch(w -> u.start() < w.end() && w.start() < u.end())) {
          utterances.add(u);
        }
      }
      utterances.addAll(refinedUtterances);
      utterances.sort(Comparator.comparingDouble(Utterance::start));
      Map<String, String> metadata = new LinkedHashMap<>(primary.metadata());
      metadata.put(REFINED_WINDOWS, Integer.toString(windows.size()));
      metadata.put(REFINED_SEC, String.format(Locale.ROOT, "%.3f", sentSec));
      if (!requestIds.isEmpty()) {
        metadata.put(REFINER_REQUEST_IDS, String.join(",", requestIds));
      }
      Transcript merged =
          new Transcript(
              windows.isEmpty() ? primary.engine() : primary.engine() + "+" + Engine.DEEPGRAM.wireName(),
              primary.language(),
              primary.durationSec(),
              LowConfidenceWindows.merge(primary.words(), replacements),
              utterances,
              metadata);
      double computeSec = (System.nanoTime() - started) / 1e9;
      TranscriptionOutcome outcome = write(request.jobId(), merged, primary, computeSec);
      log.info(
          "job {}: deepgram re-transcribed {} low-confidence window(s), {} s of audio, below confidence {}",
          request.jobId(), windows.size(), String.format(Locale.ROOT, "%.1f", sentSec),
          settings.confidenceThreshold());
      return outcome;
    } catch (ActivityCompletionException e) {
      // Cancelled or the worker is stopping: nothing was rewritten, the primary transcript is intact.
      throw e;
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "no audio or transcript for job " + request.jobId() + ": " + e.getMessage(), ErrorTypes.INVALID_REQUEST, e);
    } catch (UnsupportedAudioFileException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), ErrorTypes.UNSUPPORTED_MEDIA, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    } catch (Exception e) {
      throw Activity.wrap(e);
    }
  }

  /** Writes the merged transcript; if that fails half-way, puts the primary one back so the job still has it. */
  private TranscriptionOutcome write(String jobId, Transcript merged, Transcript primary, double computeSec)
      throws IOException {
    try {
      return transcripts.write(jobId, Engine.DEEPGRAM, merged, computeSec);
    } catch (IOException | RuntimeException e) {
      try {
        transcripts.write(jobId, Engine.DEEPGRAM, primary, 0);
      } catch (IOException | RuntimeException restore) {
        e.addSuppressed(restore);
      }
      throw e;
    }
  }
}

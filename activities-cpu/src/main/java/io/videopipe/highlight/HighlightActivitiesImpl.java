package io.videopipe.highlight;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.loudness.Loudness;
import io.videopipe.loudness.LoudnessMeasurementException;
import io.videopipe.loudness.LoudnessMeter;
import io.videopipe.loudness.LoudnessStore;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.pipeline.JobPaths;
import io.videopipe.storage.JsonArtifacts;
import io.videopipe.storage.Storage;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.TranscriptStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the transcript, measures the audio's momentary loudness and lets {@link HighlightSelector} choose; with an
 * {@link LlmRanker} configured, the model chooses from the selector's shortlist instead, and any failure of it falls
 * back to the feature ranking. Writes {@code jobs/<jobId>/highlights/highlights.json} atomically.
 */
public final class HighlightActivitiesImpl implements HighlightActivities {
  static final String FILE = "highlights.json";
  static final String FEATURES = "features";
  private static final Logger log = LoggerFactory.getLogger(HighlightActivitiesImpl.class);


  private final Storage storage;
  private final TranscriptStore transcripts;
  private final LoudnessMeter meter;
  private final HighlightSelector selector;
  private final LlmRanker llm;

  /** @param llm ranks the shortlist when set; null ranks by features alone */
  public HighlightActivitiesImpl(
      Storage storage,
      TranscriptStore transcripts,
      LoudnessMeter meter,
      HighlightSelector.Settings settings,
      LlmRanker llm) {
    this.storage = storage;
    this.transcripts = transcripts;
    this.meter = meter;
    this.selector = new HighlightSelector(settings);
    this.llm = llm;
  }

  /** What highlights.json holds: the highlights plus enough context to see why there are that many. */
  record HighlightsDocument(
      String jobId,
      String transcriptUri,
      String audioUri,
      HighlightOptions options,
      HighlightSelector.Settings settings,
      double speechSec,
      int sentences,
      int candidates,
      Double integratedLufs,
      String note,
      String ranking,
      List<Highlight> highlights) {}

  @Override
  public HighlightSet pickHighlights(HighlightRequest request) {
    long started = System.nanoTime();
    if (request == null || request.jobId() == null || request.transcriptUri() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "PickHighlights needs a jobId and a transcriptUri", ErrorTypes.INVALID_REQUEST);
    }
    HighlightOptions options = request.options() == null ? HighlightOptions.defaults() : request.options();
    try {
      Transcript transcript = readTranscript(request.transcriptUri());
      Loudness loudness = null;
      if (request.audioUri() != null) {
        // Kept beside the audio: QA reads this measurement instead of decoding the WAV again.
        ActivityExecutionContext context = Activity.getExecutionContext();
        loudness =
            new LoudnessStore(storage, meter)
                .measure(URI.create(request.audioUri()), () -> context.heartbeat("measuring loudness"));
      }
      double audioSec = loudness != null ? loudness.durationSec() : transcript.durationSec();
      HighlightSelector.Selection selection;
      List<Highlight> highlights;
      String ranking = FEATURES;
      if (llm == null) {
        selection = selector.select(transcript.words(), loudness, audioSec, options);
        highlights = selection.highlights();
      } else {
        selection =
            selector.shortlist(transcript.words(), loudness, audioSec, options, llm.settings().poolSize());
        List<Highlight> pool = selection.highlights();
        highlights = pool.subList(0, Math.min(pool.size(), options.maxCount()));
        try {
          highlights = whileHeartbeating("ranking with " + llm.settings().model(),
              () -> llm.rank(pool, options.maxCount()));
          ranking = "llm:" + llm.settings().model();
        } catch (LlmRanker.RankingFailed e) {
          ranking = FEATURES + " (LLM ranking not used: " + e.getMessage() + ")";
          log.warn("job {}: {}", request.jobId(), ranking);
        }
        highlights = List.copyOf(highlights);
      }
      URI uri = storage.jobUri(request.jobId(), JobPaths.HIGHLIGHTS + FILE);
      HighlightsDocument doc =
          new HighlightsDocument(
              request.jobId(),
              request.transcriptUri(),
              request.audioUri(),
              options,
              selector.settings(),
              selection.speechSec(),
              selection.sentences(),
              selection.candidates(),
              loudness == null ? null : loudness.integratedLufs(),
              selection.note(),
              ranking,
              highlights);
      JsonArtifacts.write(storage, uri, doc);
      return new HighlightSet(uri.toString(), highlights, (System.nanoTime() - started) / 1e9, ranking);
    } catch (FileNotFoundException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "highlight input missing: " + e.getMessage(), ErrorTypes.INVALID_REQUEST, e);
    } catch (LoudnessMeasurementException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "cannot measure the audio: " + e.getMessage(), ErrorTypes.UNSUPPORTED_MEDIA, e);
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "highlight selection failed: " + e.getMessage(), ErrorTypes.TRANSIENT, e);
    }
  }

  /** Runs a slow call on another thread and heartbeats once a second until it ends, so the step stays cancellable. */
  private static <T> T whileHeartbeating(String what, LlmCall<T> call) throws LlmRanker.RankingFailed {
    ActivityExecutionContext context = Activity.getExecutionContext();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<T> future = executor.submit(call::run);
      while (true) {
        try {
          return future.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          context.heartbeat(what);
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LlmRanker.RankingFailed failed) {
        throw failed;
      }
      throw new LlmRanker.RankingFailed("ranking failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmRanker.RankingFailed("interrupted", e);
    } finally {
      executor.shutdownNow();
    }
  }

  private interface LlmCall<T> {
    T run() throws LlmRanker.RankingFailed;
  }

  private Transcript readTranscript(String uri) throws IOException {
    try {
      return transcripts.read(URI.create(uri));
    } catch (JsonProcessingException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "transcript " + uri + " is not a transcript: " + e.getOriginalMessage(), ErrorTypes.INVALID_REQUEST, e);
    }
  }
}

package io.videopipe.highlight;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.loudness.Loudness;
import io.videopipe.loudness.LoudnessMeter;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.pipeline.JobPaths;
import io.videopipe.storage.LocalFile;
import io.videopipe.storage.JsonArtifacts;
import io.videopipe.storage.Storage;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.TranscriptStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * Reads the transcript, measures the audio's momentary loudness and lets {@link HighlightSelector} choose; writes
 * {@code jobs/<jobId>/highlights/highlights.json} atomically.
 */
public final class HighlightActivitiesImpl implements HighlightActivities {
  static final String FILE = "highlights.json";


  private final Storage storage;
  private final TranscriptStore transcripts;
  private final LoudnessMeter meter;
  private final HighlightSelector selector;

  public HighlightActivitiesImpl(Storage storage, TranscriptStore transcripts, LoudnessMeter meter) {
    this(storage, transcripts, meter, HighlightSelector.Settings.defaults());
  }

  public HighlightActivitiesImpl(
      Storage storage, TranscriptStore transcripts, LoudnessMeter meter, HighlightSelector.Settings settings) {
    this.storage = storage;
    this.transcripts = transcripts;
    this.meter = meter;
    this.selector = new HighlightSelector(settings);
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
        try (LocalFile audio = storage.localFile(URI.create(request.audioUri()))) {
          ActivityExecutionContext context = Activity.getExecutionContext();
          loudness = meter.measure(audio.path(), () -> context.heartbeat("measuring loudness"));
        }
      }
      double audioSec = loudness != null ? loudness.durationSec() : transcript.durationSec();
      HighlightSelector.Selection selection = selector.select(transcript.words(), loudness, audioSec, options);
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
              selection.highlights());
      JsonArtifacts.write(storage, uri, doc);
      return new HighlightSet(uri.toString(), selection.highlights(), (System.nanoTime() - started) / 1e9);
    } catch (FileNotFoundException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "highlight input missing: " + e.getMessage(), ErrorTypes.INVALID_REQUEST, e);
    } catch (LoudnessMeter.MediaException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "cannot measure the audio: " + e.getMessage(), ErrorTypes.UNSUPPORTED_MEDIA, e);
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "highlight selection failed: " + e.getMessage(), ErrorTypes.TRANSIENT, e);
    }
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

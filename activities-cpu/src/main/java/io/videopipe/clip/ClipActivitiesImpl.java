package io.videopipe.clip;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import io.videopipe.highlight.Highlight;
import io.videopipe.pipeline.ErrorTypes;
import io.videopipe.pipeline.JobPaths;
import io.videopipe.storage.LocalFile;
import io.videopipe.storage.Storage;
import io.videopipe.transcribe.Captions;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.TranscriptStore;
import io.videopipe.transcribe.Word;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders one highlight clip with {@link ClipRenderer} and stores {@code clips/clip-NN.mp4|.srt|.vtt} (NN = rank, two
 * digits), plus {@code clip-NN-9x16.mp4} and the like for every further frame of {@code clips.aspects}, all from one
 * decode. Everything is rendered into temporary files first and each is published atomically, so a failed render leaves
 * no partial file and a re-render replaces the earlier one only once complete.
 */
public final class ClipActivitiesImpl implements ClipActivities {
  private static final Logger log = LoggerFactory.getLogger(ClipActivitiesImpl.class);

  private final Storage storage;
  private final TranscriptStore transcripts;
  private final ClipRenderer renderer;
  private final Path tempDir;

  public ClipActivitiesImpl(Storage storage, TranscriptStore transcripts, ClipRenderer.Settings settings) {
    this.storage = storage;
    this.transcripts = transcripts;
    this.renderer = new ClipRenderer(settings);
    this.tempDir = settings.tempDir();
  }

  /** The storage name of a clip's file, e.g. {@code clip-01.mp4}; the REST API serves {@code /clips/{n}} from it. */
  public static String fileName(int rank, String extension) {
    return String.format(Locale.ROOT, "clip-%02d.%s", rank, extension);
  }

  @Override
  public RenderedClip render(ClipRequest request) {
    long started = System.nanoTime();
    if (request == null || request.jobId() == null || request.sourceUri() == null || request.highlight() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "RenderClip needs a jobId, a sourceUri and a highlight", ErrorTypes.INVALID_REQUEST);
    }
    Highlight h = request.highlight();
    ClipOptions options = request.options() == null ? ClipOptions.defaults() : request.options();
    int attempt = Math.max(1, request.attempt());
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    // One directory per attempt of a clip: an attempt that timed out may still be running on this machine until its
    // next heartbeat tells it so, and must not write into its successor's files. What earlier attempts left (killed
    // with their worker, or timed out) is cleared before this one starts.
    String clipPrefix = "clip-" + request.jobId().replaceAll("[^A-Za-z0-9_-]", "_") + "-" + h.rank() + "-";
    Path dir = tempDir.resolve(clipPrefix + "r" + attempt + "a" + ctx.getInfo().getAttempt());
    try (LocalFile source = storage.localFile(URI.create(request.sourceUri()))) {
      deleteEarlierAttempts(clipPrefix, dir);
      Files.createDirectories(dir);
      Path srt = dir.resolve("clip.srt");
      Path vtt = dir.resolve("clip.vtt");

      List<Word> words = words(request.transcriptUri());
      List<Captions.Cue> cues = ClipCaptions.cues(words, h.startSec(), h.endSec());
      Files.writeString(srt, Captions.srt(cues), StandardCharsets.UTF_8);
      Files.writeString(vtt, Captions.vtt(cues), StandardCharsets.UTF_8);

      // Every frame the job asks for comes from one decode of the segment and one levelling of its audio.
      List<String> aspects = options.outputAspects();
      List<ClipRenderer.Format> formats = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < aspects.size(); i++) {
        String name = i == 0 ? JobPaths.clipFile(h.rank(), "mp4") : JobPaths.clipFormatFile(h.rank(), aspects.get(i));
        names.add(name);
        formats.add(new ClipRenderer.Format(options.forAspect(aspects.get(i)), dir.resolve(name)));
      }
      List<ClipRenderer.Result> results =
          renderer.render(source.path(), h.startSec(), h.endSec(), formats, words, attempt,
              () -> ctx.heartbeat("rendering clip " + h.rank()));

      URI srtUri = storage.jobUri(request.jobId(), JobPaths.CLIPS + fileName(h.rank(), "srt"));
      URI vttUri = storage.jobUri(request.jobId(), JobPaths.CLIPS + fileName(h.rank(), "vtt"));
      List<ClipFormat> outputs = new ArrayList<>();
      for (int i = 0; i < formats.size(); i++) {
        ClipRenderer.Result r = results.get(i);
        outputs.add(new ClipFormat(aspects.get(i), names.get(i),
            storage.jobUri(request.jobId(), JobPaths.CLIPS + names.get(i)).toString(), r.width(), r.height(),
            r.loudness().integratedLufs(), r.loudness().truePeakDbtp(), Files.size(formats.get(i).out()),
            r.framing(), r.faceRule(), r.videoDecodes()));
      }
      storage.put(srt, srtUri, true);
      storage.put(vtt, vttUri, true);
      // the primary last: a clip-NN.mp4 in storage means all of this render's frames are there
      for (int i = formats.size() - 1; i >= 0; i--) {
        storage.put(formats.get(i).out(), URI.create(outputs.get(i).clipUri()), true);
      }
      ClipRenderer.Result result = results.get(0);
      ClipFormat primary = outputs.get(0);
      return new RenderedClip(
          h.rank(),
          primary.clipUri(),
          srtUri.toString(),
          vttUri.toString(),
          h.startSec(),
          h.endSec(),
          result.durationSec(),
          result.hasVideo(),
          result.loudness().integratedLufs(),
          result.loudness().truePeakDbtp(),
          attempt,
          (System.nanoTime() - started) / 1e9,
          primary.sizeBytes(),
          result.framing(),
          result.captionsBurned(),
          outputs.size() == 1 ? null : List.copyOf(outputs));
    } catch (ClipException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "clip " + h.rank() + ": " + e.getMessage(), e.errorType());
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "stored source " + request.sourceUri() + " does not exist", ErrorTypes.SOURCE_NOT_FOUND);
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "clip " + h.rank() + " render failed: " + e.getMessage(), ErrorTypes.TRANSIENT, e);
    } finally {
      try {
        deleteTree(dir);
      } catch (IOException e) {
        log.warn("cannot delete temporary {}: {}", dir, e.toString());
      }
    }
  }

  private void deleteEarlierAttempts(String clipPrefix, Path own) throws IOException {
    if (!Files.isDirectory(tempDir)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(tempDir)) {
      for (Path d : dirs.filter(d -> d.getFileName().toString().startsWith(clipPrefix)).toList()) {
        try {
          deleteTree(d);
        } catch (IOException e) {
          // a timed-out attempt still writing there: it stops at its next heartbeat; its files go with the next sweep
          log.warn("cannot clear {} of an earlier attempt: {}", d, e.toString());
        }
      }
    }
    deleteTree(own);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The transcript's words; none without a transcript (the clip then has empty captions). */
  private List<Word> words(String transcriptUri) throws IOException {
    if (transcriptUri == null) {
      return List.of();
    }
    try {
      Transcript t = transcripts.read(URI.create(transcriptUri));
      return t.words() == null ? List.of() : t.words();
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw new ClipException("transcript " + transcriptUri + " does not exist", ErrorTypes.INVALID_REQUEST);
    }
  }
}

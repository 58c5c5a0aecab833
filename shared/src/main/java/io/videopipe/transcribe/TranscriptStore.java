package io.videopipe.transcribe;

import io.videopipe.pipeline.JobPaths;
import io.videopipe.pipeline.TranscriptionSummary;
import io.videopipe.route.Engine;
import io.videopipe.storage.JsonArtifacts;
import io.videopipe.storage.PendingWrite;
import io.videopipe.storage.Storage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes a job's transcript artifacts: transcript.json (the {@link Transcript}), transcript.srt,
 * transcript.vtt and transcript.txt under {@code jobs/<jobId>/transcript/}. Every engine writes through here so all
 * engines produce the same files.
 */
public final class TranscriptStore {
  /** Caption cues end at a pause this long, or at these limits. */
  static final double CUE_PAUSE_SEC = 0.8;
  static final double CUE_MAX_SEC = 6.0;
  static final int CUE_MAX_CHARS = 84;

  private final Storage storage;

  public TranscriptStore(Storage storage) {
    this.storage = storage;
  }

  /** Writes all four artifacts and returns what the workflow needs to know of them. */
  public TranscriptionOutcome write(String jobId, Engine engine, Transcript transcript, double computeSec)
      throws IOException {
    Map<String, String> artifacts = new LinkedHashMap<>();
    URI json = storage.jobUri(jobId, JobPaths.transcript("json"));
    JsonArtifacts.write(storage, json, transcript);
    artifacts.put("json", json.toString());
    List<Captions.Cue> cues = cues(transcript.words());
    for (String format : List.of("srt", "vtt", "txt")) {
      URI uri = storage.jobUri(jobId, JobPaths.transcript(format));
      String body =
          switch (format) {
            case "srt" -> Captions.srt(cues);
            case "vtt" -> Captions.vtt(cues);
            default -> transcript.text() + "\n";
          };
      writeObject(uri, out -> out.write(body.getBytes(StandardCharsets.UTF_8)));
      artifacts.put(format, uri.toString());
    }
    String text = transcript.text();
    String preview =
        text.length() <= TranscriptionSummary.PREVIEW_CHARS
            ? text
            : text.substring(0, TranscriptionSummary.PREVIEW_CHARS);
    return new TranscriptionOutcome(
        engine,
        json.toString(),
        artifacts,
        transcript.words().size(),
        transcript.durationSec(),
        transcript.meanConfidence(),
        preview,
        computeSec,
        transcript.metadata());
  }

  public Transcript read(URI transcriptJson) throws IOException {
    return JsonArtifacts.read(storage, transcriptJson, Transcript.class);
  }

  private interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private void writeObject(URI uri, Body body) throws IOException {
    try (PendingWrite w = storage.create(uri)) {
      body.writeTo(w.stream());
      w.commit();
    }
  }

  /** A caption cue: consecutive words broken at pauses, duration and length limits. */

  static List<Captions.Cue> cues(List<Word> words) {
    List<Captions.Cue> cues = new ArrayList<>();
    int from = 0;
    for (int i = 1; i <= words.size(); i++) {
      boolean end = i == words.size();
      if (!end) {
        Word first = words.get(from);
        Word prev = words.get(i - 1);
        Word next = words.get(i);
        int chars = 0;
        for (int k = from; k <= i; k++) {
          chars += words.get(k).text().length() + 1;
        }
        end = next.start() - prev.end() >= CUE_PAUSE_SEC
            || next.end() - first.start() > CUE_MAX_SEC
            || chars > CUE_MAX_CHARS;
      }
      if (end && from < i) {
        List<Word> span = words.subList(from, i);
        StringBuilder text = new StringBuilder();
        for (Word w : span) {
          if (text.length() > 0) {
            text.append(' ');
          }
          text.append(w.text());
        }
        cues.add(new Captions.Cue(span.get(0).start(), span.get(span.size() - 1).end(), text.toString()));
        from = i;
      }
    }
    return cues;
  }

}

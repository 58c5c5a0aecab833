package io.videopipe.loudness;

import io.videopipe.storage.JsonArtifacts;
import io.videopipe.storage.LocalFile;
import io.videopipe.storage.Storage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loudness of a job's audio, measured once and kept beside it ({@code audio/audio.wav} gets {@code
 * audio/audio.wav.loudness.json}), so the highlight and QA steps share one measurement of the WAV instead of decoding
 * it twice. A kept measurement is used only when it names the same audio URI and size; otherwise (an older job, a
 * re-extracted WAV, an unreadable file) the audio is measured again and the file rewritten.
 */
public final class LoudnessStore {
  private static final Logger log = LoggerFactory.getLogger(LoudnessStore.class);
  static final String SUFFIX = ".loudness.json";

  /** What the artifact holds: the measurement and the audio it belongs to. */
  record Kept(String audioUri, long audioBytes, Loudness loudness) {}

  private final Storage storage;
  private final LoudnessMeter meter;

  public LoudnessStore(Storage storage, LoudnessMeter meter) {
    this.storage = storage;
    this.meter = meter;
  }

  /** The loudness of the audio at {@code audioUri}: the kept measurement when it matches, else a new one (kept). */
  public Loudness measure(URI audioUri, Runnable progress) throws IOException {
    Optional<Long> size = storage.size(audioUri);
    if (size.isEmpty()) {
      throw new FileNotFoundException(audioUri.toString());
    }
    URI kept = keptUri(audioUri);
    try {
      if (storage.size(kept).isPresent()) {
        Kept k = JsonArtifacts.read(storage, kept, Kept.class);
        if (audioUri.toString().equals(k.audioUri()) && size.get() == k.audioBytes() && k.loudness() != null) {
          return k.loudness();
        }
      }
    } catch (IOException e) {
      log.warn("kept loudness {} unreadable ({}): measuring again", kept, e.getMessage());
    }
    Loudness loudness;
    try (LocalFile audio = storage.localFile(audioUri)) {
      // the transcription WAV is never published: its true peak would cost three times its loudness and is not read
      loudness = meter.measureLoudnessOnly(audio.path(), progress);
    }
    try {
      JsonArtifacts.write(storage, kept, new Kept(audioUri.toString(), size.get(), loudness));
    } catch (IOException e) {
      // The next step measures again: slower, not wrong.
      log.warn("cannot keep the loudness of {} at {}: {}", audioUri, kept, e.getMessage());
    }
    return loudness;
  }

  static URI keptUri(URI audioUri) {
    return URI.create(audioUri + SUFFIX);
  }
}

package io.videopipe.storage;

import io.videopipe.pipeline.JobPaths;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where media and artifacts live: a local directory ({@code file://}) or a GCS bucket ({@code gs://}). Every artifact of
 * a job lives under {@code <root>/jobs/<jobId>/}. Writes are all-or-nothing: an object appears only once complete.
 */
public interface Storage {

  /** The root every job prefix hangs under, e.g. {@code file:///srv/data/} or {@code gs://bucket/videopipe/}. */
  URI root();

  /** Whether this storage holds the object the URI names (same scheme and under {@link #root()}). */
  boolean owns(URI uri);

  /** URI of an artifact of a job, {@code relativePath} being relative to the job prefix (e.g. "audio/audio.wav"). */
  default URI jobUri(String jobId, String relativePath) {
    return root().resolve(JobPaths.jobPrefix(jobId) + relativePath);
  }

  /** Streams an object from {@code offset}. Throws {@link java.io.FileNotFoundException} if it does not exist. */
  InputStream openRead(URI uri, long offset) throws IOException;

  default InputStream openRead(URI uri) throws IOException {
    return openRead(uri, 0);
  }

  /** Starts an all-or-nothing write: nothing is visible at {@code uri} until {@link PendingWrite#commit()}. */
  PendingWrite create(URI uri) throws IOException;

  /** Stores a local file at {@code uri}, moving it when {@code move} is true and the storage is local. */
  void put(Path file, URI uri, boolean move) throws IOException;

  /**
   * A readable local file with the object's bytes: the file itself for local storage, a temporary download otherwise.
   * Close it when done (deletes any temporary copy).
   */
  LocalFile localFile(URI uri) throws IOException;

  /** Size in bytes, empty if the object does not exist. */
  Optional<Long> size(URI uri) throws IOException;

  /** Every object under a prefix, recursively. */
  List<URI> list(URI prefix) throws IOException;

  /** Deletes every object under a prefix; idempotent. Returns the number deleted. */
  int deletePrefix(URI prefix) throws IOException;
}

package io.videopipe.download;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.function.Supplier;

/** A gs://bucket/object source, read through a GCS client; resumes at an offset of the same object generation. */
final class GcsSource implements Source {
  private final Supplier<Storage> client;
  private final String bucket;
  private final String object;

  GcsSource(Supplier<Storage> client, String bucket, String object) {
    this.client = client;
    this.bucket = bucket;
    this.object = object;
  }

  @Override
  public String displayUri() {
    return "gs://" + bucket + "/" + object;
  }

  @Override
  public String fileName() {
    return SourceUris.fileName(object);
  }

  @Override
  public SourceStream open(Checkpoint checkpoint) throws IOException {
    Storage gcs = client.get();
    Blob blob;
    try {
      blob = gcs.get(BlobId.of(bucket, object));
    } catch (StorageException e) {
      throw classify(e);
    }
    if (blob == null) {
      throw Failures.notFound("source not found: " + displayUri() + " does not exist");
    }
    String validator = validator(blob);
    long start =
        checkpoint.offset() > 0 && validator != null && validator.equals(checkpoint.validator())
            ? checkpoint.offset()
            : 0;
    // The blob id carries the generation, so every byte comes from the version whose size was checked.
    ReadChannel reader = gcs.reader(blob.getBlobId());
    try {
      if (start > 0) {
        reader.seek(start);
      }
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
    long size = blob.getSize() == null ? -1 : blob.getSize();
    return new SourceStream(Channels.newInputStream(reader), start, size, validator, true);
  }

  /** Identifies the object's version: its generation, else (fakes, emulators) its CRC32C and size; null if neither. */
  static String validator(Blob blob) {
    if (blob.getGeneration() != null) {
      return "generation:" + blob.getGeneration();
    }
    if (blob.getCrc32c() != null) {
      return "crc32c:" + blob.getCrc32c() + ",size:" + blob.getSize();
    }
    return null;
  }

  private ApplicationFailure classify(StorageException e) {
    int code = e.getCode();
    if (code == 404) {
      return Failures.notFound("source not found: " + displayUri() + " (HTTP 404)");
    }
    if (code == 401 || code == 403) {
      return Failures.notAllowed("access to source " + displayUri() + " was denied (HTTP " + code + ")");
    }
    if (code == 400) {
      return Failures.invalid("GCS rejected source " + displayUri() + ": " + e.getMessage());
    }
    return Failures.transientFailure("cannot read source " + displayUri() + ": " + e.getMessage(), e);
  }
}

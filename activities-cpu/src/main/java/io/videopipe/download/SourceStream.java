package io.videopipe.download;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * An opened source.
 *
 * @param body bytes from {@code start} on
 * @param start 0 when the source restarted, the checkpoint's offset when it resumed
 * @param totalSize full size of the source, -1 if unknown
 * @param validator identifies this version of the source (ETag, generation, ...), null if none
 * @param resumable whether a later attempt can continue from a byte offset
 */
record SourceStream(InputStream body, long start, long totalSize, String validator, boolean resumable)
    implements Closeable {
  @Override
  public void close() throws IOException {
    body.close();
  }
}

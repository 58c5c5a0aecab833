package io.videopipe.storage;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/** JSON artifacts (transcript, highlights, QA, cost): written all-or-nothing, read leniently. */
public final class JsonArtifacts {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          // the PendingWrite owns its stream: commit() publishes it, so Jackson must not close it first
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private JsonArtifacts() {}

  /** Writes {@code value} as JSON at {@code uri}; nothing appears there unless the whole document was written. */
  public static void write(Storage storage, URI uri, Object value) throws IOException {
    try (PendingWrite w = storage.create(uri)) {
      JSON.writeValue(w.stream(), value);
      w.commit();
    }
  }

  public static <T> T read(Storage storage, URI uri, Class<T> type) throws IOException {
    try (InputStream in = storage.openRead(uri)) {
      return JSON.readValue(in, type);
    }
  }
}

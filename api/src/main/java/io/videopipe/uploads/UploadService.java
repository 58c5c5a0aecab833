package io.videopipe.uploads;

import io.videopipe.storage.PendingWrite;
import io.videopipe.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Locale;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Service;

/**
 * Streams an uploaded source into storage under {@code uploads/<id>/<name>}, all or nothing, and answers the URI to
 * submit as the job's {@code sourceUrl} (a {@code gs://} or {@code file://} URI the Download step reads).
 */
@Service
@Profile({"local", "api"})
@EnableConfigurationProperties(UploadProperties.class)
public class UploadService {
  static final String PREFIX = "uploads/";

  private final Storage storage;
  private final UploadProperties props;

  public UploadService(Storage storage, UploadProperties props) {
    this.storage = storage;
    this.props = props;
  }

  /** Where an upload went and how big it was. */
  public record Upload(String sourceUrl, String filename, long sizeBytes) {}

  public long maxBytes() {
    return props.maxSize().toBytes();
  }

  /**
   * Copies {@code body} into storage; refused before a byte is read when {@code declaredLength} is over the limit, and
   * as soon as the stream passes it otherwise (nothing is kept).
   */
  public Upload store(String filename, long declaredLength, InputStream body) throws IOException {
    String name = safeName(filename);
    long limit = maxBytes();
    if (declaredLength > limit) {
      throw new UploadTooLargeException(limit);
    }
    URI uri = storage.root().resolve(PREFIX + UUID.randomUUID() + "/" + name);
    long total = 0;
    try (PendingWrite write = storage.create(uri)) {
      OutputStream out = write.stream();
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = body.read(buf)) > 0; ) {
        total += n;
        if (total > limit) {
          throw new UploadTooLargeException(limit);
        }
        out.write(buf, 0, n);
      }
      if (total == 0) {
        throw new IllegalArgumentException("the upload is empty: send the video file as the request body");
      }
      write.commit();
    }
    return new Upload(uri.toString(), name, total);
  }

  /** The last path segment, reduced to safe characters; the extension helps FFmpeg guess nothing, but people read it. */
  static String safeName(String filename) {
    if (filename == null || filename.isBlank()) {
      throw new IllegalArgumentException("filename is required, e.g. ?filename=talk.mp4");
    }
    String base = filename.replace('\\', '/');
    base = base.substring(base.lastIndexOf('/') + 1);
    String clean = base.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "");
    if (clean.isEmpty()) {
      throw new IllegalArgumentException("filename '" + filename + "' has no usable characters");
    }
    return clean.length() > 100 ? clean.substring(clean.length() - 100).toLowerCase(Locale.ROOT) : clean;
  }
}

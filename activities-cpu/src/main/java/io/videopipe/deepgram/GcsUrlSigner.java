package io.videopipe.deepgram;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** V4 signed GET URLs for {@code gs://bucket/object} audio, signed with the worker's service account. */
public final class GcsUrlSigner implements AudioUrlSigner {
  private final Storage client;

  public GcsUrlSigner(Storage client) {
    this.client = client;
  }

  @Override
  public Optional<String> sign(URI audio, Duration ttl) {
    if (!"gs".equals(audio.getScheme()) || audio.getAuthority() == null || audio.getPath() == null
        || audio.getPath().length() < 2) {
      return Optional.empty();
    }
    BlobInfo blob = BlobInfo.newBuilder(audio.getAuthority(), audio.getPath().substring(1)).build();
    return Optional.of(
        client.signUrl(blob, ttl.toSeconds(), TimeUnit.SECONDS, Storage.SignUrlOption.withV4Signature()).toString());
  }
}

package io.videopipe.deepgram;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Turns a stored audio object into a URL Deepgram can fetch without credentials, e.g. a signed GCS URL. */
@FunctionalInterface
public interface AudioUrlSigner {

  /** A URL valid for {@code ttl}; empty when this signer cannot sign {@code audio} (another scheme or bucket). */
  Optional<String> sign(URI audio, Duration ttl);
}

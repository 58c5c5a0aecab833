package io.videopipe.codec;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Payload encryption, bound from {@code videopipe.codec.*}. Set the same key on the API and on every worker.
 *
 * @param key base64 of a 16, 24 or 32 byte AES key ({@code VIDEOPIPE_CODEC_KEY}); empty: payloads are not encrypted
 * @param keyId name of the key, written into each encrypted payload's metadata; empty: derived from the key
 */
@ConfigurationProperties("videopipe.codec")
public record CodecProperties(@DefaultValue("") String key, @DefaultValue("") String keyId) {

  public boolean enabled() {
    return !key.isBlank();
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "CodecProperties[key=" + (enabled() ? "(set)" : "(not set)") + ", keyId=" + keyId + "]";
  }
}

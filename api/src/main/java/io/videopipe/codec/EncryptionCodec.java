package io.videopipe.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts every Temporal payload with AES-GCM, so workflow inputs, results, memos and activity arguments are opaque
 * in history and in the Web UI. An encrypted payload has encoding {@value #ENCODING}, the key id in metadata
 * {@value #KEY_ID}, and data = 12-byte nonce followed by the ciphertext (with tag) of the original payload's bytes.
 * Payloads that are not encrypted pass through {@link #decode} unchanged, so history written before the key was set
 * still reads.
 */
public final class EncryptionCodec implements PayloadCodec {
  public static final String ENCODING = "binary/encrypted";
  public static final String KEY_ID = "encryption-key-id";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final String keyId;
  private final SecureRandom random = new SecureRandom();

  public EncryptionCodec(byte[] key, String keyId) {
    if (key.length != 16 && key.length != 24 && key.length != 32) {
      throw new IllegalArgumentException(
          "the codec key must be 16, 24 or 32 bytes (base64 in VIDEOPIPE_CODEC_KEY), was " + key.length);
    }
    this.key = new SecretKeySpec(key, "AES");
    this.keyId = keyId;
  }

  /** The codec of the configuration, or null when no key is set. */
  public static EncryptionCodec from(CodecProperties props) {
    if (!props.enabled()) {
      return null;
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(props.key().trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("VIDEOPIPE_CODEC_KEY (videopipe.codec.key) is not valid base64");
    }
    String id = props.keyId().isBlank() ? derivedKeyId(key) : props.keyId();
    return new EncryptionCodec(key, id);
  }

  /** The standard converter, wrapped with the codec when one is configured. */
  public static DataConverter dataConverter(CodecProperties props) {
    EncryptionCodec codec = from(props);
    return codec == null
        ? DefaultDataConverter.STANDARD_INSTANCE
        // Failure messages and stack traces can quote a source URL or a provider's answer: encrypt them too (the
        // server then sees "Encoded failure"; the Web UI shows them through the codec endpoint).
        : new CodecDataConverter(DefaultDataConverter.STANDARD_INSTANCE, List.of(codec), true);
  }

  /** A key id that names the key without revealing it: the first 8 bytes of a hash of it. */
  static String derivedKeyId(byte[] key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("videopipe-codec-key-id".getBytes(StandardCharsets.UTF_8));
      return "k-" + HexFormat.of().formatHex(sha.digest(key), 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String keyId() {
    return keyId;
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream().map(this::encrypt).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decrypt).toList();
  }

  private Payload encrypt(Payload p) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(p.toByteArray());
      ByteBuffer data = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed);
      return Payload.newBuilder()
          .putMetadata("encoding", ByteString.copyFromUtf8(ENCODING))
          .putMetadata(KEY_ID, ByteString.copyFromUtf8(keyId))
          .setData(ByteString.copyFrom(data.array()))
          .build();
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(e);
    }
  }

  private Payload decrypt(Payload p) {
    ByteString encoding = p.getMetadataMap().get("encoding");
    if (encoding == null || !encoding.toStringUtf8().equals(ENCODING)) {
      return p;
    }
    ByteString id = p.getMetadataMap().get(KEY_ID);
    if (id == null || !id.toStringUtf8().equals(keyId)) {
      throw new PayloadCodecException(
          "payload was encrypted with key '" + (id == null ? "?" : id.toStringUtf8()) + "', this service has key '"
              + keyId + "'");
    }
    byte[] data = p.getData().toByteArray();
    if (data.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new PayloadCodecException("encrypted payload is too short to hold a nonce and a tag");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
      c.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
      return Payload.parseFrom(c.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES));
    } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
      throw new PayloadCodecException("cannot decrypt payload with key '" + keyId + "': " + e.getMessage(), e);
    }
  }
}

package io.videopipe.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncryptionCodecTest {
  static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
  static final String OTHER = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());

  final EncryptionCodec codec = EncryptionCodec.from(new CodecProperties(KEY, ""));

  @Test
  void encryptsToAnOpaquePayloadWithTheKeyIdAndDecryptsBack() {
    Payload plain = DefaultDataConverter.STANDARD_INSTANCE.toPayload("the secret transcript").orElseThrow();

    Payload sealed = codec.encode(List.of(plain)).get(0);

    assertThat(sealed.getMetadataOrThrow("encoding").toStringUtf8()).isEqualTo("binary/encrypted");
    assertThat(sealed.getMetadataOrThrow("encryption-key-id").toStringUtf8()).isEqualTo(codec.keyId()).startsWith("k-");
    assertThat(sealed.getData().toStringUtf8()).doesNotContain("secret");
    assertThat(codec.decode(List.of(sealed))).containsExactly(plain);
    // a fresh nonce each time: equal inputs do not give equal ciphertexts
    assertThat(codec.encode(List.of(plain)).get(0).getData()).isNotEqualTo(sealed.getData());
  }

  @Test
  void theDataConverterRoundTripsObjectsThroughTheCodec() {
    DataConverter converter = EncryptionCodec.dataConverter(new CodecProperties(KEY, "2026-11"));
    Payload p = converter.toPayload(List.of("a", "b")).orElseThrow();
    assertThat(p.getMetadataOrThrow("encryption-key-id").toStringUtf8()).isEqualTo("2026-11");
    assertThat(converter.fromPayload(p, List.class, List.class)).isEqualTo(List.of("a", "b"));
    assertThat(EncryptionCodec.dataConverter(new CodecProperties("", "")))
        .isSameAs(DefaultDataConverter.STANDARD_INSTANCE);
  }

  @Test
  void failureMessagesAndStackTracesAreEncryptedAndComeBackWhole() {
    DataConverter converter = EncryptionCodec.dataConverter(new CodecProperties(KEY, ""));
    io.temporal.failure.ApplicationFailure thrown =
        io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
            "download of https://cdn.example/v.mp4?token=s3cr3t failed", "SourceUnavailable");

    io.temporal.api.failure.v1.Failure failure = converter.exceptionToFailure(thrown);

    // What the server stores: a placeholder message, no stack trace, the attributes sealed.
    assertThat(failure.getMessage()).isEqualTo("Encoded failure").doesNotContain("s3cr3t");
    assertThat(failure.getStackTrace()).isEmpty();
    assertThat(failure.hasEncodedAttributes()).isTrue();
    assertThat(failure.getEncodedAttributes().getMetadataOrThrow("encoding").toStringUtf8())
        .isEqualTo("binary/encrypted");
    assertThat(failure.getEncodedAttributes().getData().toStringUtf8()).doesNotContain("s3cr3t");
    // What a client with the key reads back.
    RuntimeException back = converter.failureToException(failure);
    assertThat(back).isInstanceOf(io.temporal.failure.ApplicationFailure.class);
    assertThat(((io.temporal.failure.ApplicationFailure) back).getOriginalMessage()).contains("token=s3cr3t");
    assertThat(((io.temporal.failure.ApplicationFailure) back).getType()).isEqualTo("SourceUnavailable");
  }

  @Test
  void plainPayloadsPassThroughDecode() {
    Payload plain = DefaultDataConverter.STANDARD_INSTANCE.toPayload(42).orElseThrow();
    assertThat(codec.decode(List.of(plain))).containsExactly(plain);
  }

  @Test
  void aWrongKeyOrATamperedPayloadIsRefused() {
    Payload sealed = codec.encode(List.of(DefaultDataConverter.STANDARD_INSTANCE.toPayload("x").orElseThrow())).get(0);
    // same key id, different key: authentication fails
    EncryptionCodec impostor = EncryptionCodec.from(new CodecProperties(OTHER, codec.keyId()));
    assertThatThrownBy(() -> impostor.decode(List.of(sealed))).isInstanceOf(PayloadCodecException.class);
    // another key id: named in the error
    EncryptionCodec other = EncryptionCodec.from(new CodecProperties(OTHER, ""));
    assertThatThrownBy(() -> other.decode(List.of(sealed)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining(codec.keyId());
    byte[] data = sealed.getData().toByteArray();
    data[data.length - 1] ^= 1;
    Payload tampered = sealed.toBuilder().setData(ByteString.copyFrom(data)).build();
    assertThatThrownBy(() -> codec.decode(List.of(tampered))).isInstanceOf(PayloadCodecException.class);
  }

  @Test
  void aKeyOfTheWrongSizeOrNotBase64IsAClearStartupError() {
    assertThatThrownBy(() -> EncryptionCodec.from(new CodecProperties("c2hvcnQ=", "")))
        .hasMessageContaining("16, 24 or 32 bytes");
    assertThatThrownBy(() -> EncryptionCodec.from(new CodecProperties("not base64!", "")))
        .hasMessageContaining("not valid base64");
  }
}

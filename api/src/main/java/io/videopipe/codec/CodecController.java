package io.videopipe.codec;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Remote codec for the Temporal Web UI and CLI ({@code codec.endpoint}): the same JSON both ways, payloads as in
 * Temporal's proto JSON (metadata values and data base64). Needs an admin key; CORS for the UI's origin is set in
 * {@code videopipe.security.codec-cors-origins}. Without a codec key both endpoints return the payloads unchanged.
 */
@RestController
@RequestMapping("/codec")
@Profile({"local", "api"})
public class CodecController {
  private final EncryptionCodec codec;

  public CodecController(CodecProperties props) {
    this.codec = EncryptionCodec.from(props);
  }

  /** One payload as JSON. */
  public record JsonPayload(Map<String, String> metadata, String data) {}

  /** Body and answer of both endpoints. */
  public record JsonPayloads(List<JsonPayload> payloads) {}

  @PostMapping("/encode")
  public JsonPayloads encode(@RequestBody JsonPayloads body) {
    List<Payload> in = toProto(body);
    return toJson(codec == null ? in : codec.encode(in));
  }

  @PostMapping("/decode")
  public JsonPayloads decode(@RequestBody JsonPayloads body) {
    List<Payload> in = toProto(body);
    return toJson(codec == null ? in : codec.decode(in));
  }

  private static List<Payload> toProto(JsonPayloads body) {
    if (body == null || body.payloads() == null) {
      throw new IllegalArgumentException("body must be {\"payloads\": [{\"metadata\": {...}, \"data\": \"...\"}]}");
    }
    Base64.Decoder b64 = Base64.getDecoder();
    return body.payloads().stream()
        .map(
            p -> {
              Payload.Builder b = Payload.newBuilder();
              if (p.metadata() != null) {
                p.metadata().forEach((k, v) -> b.putMetadata(k, ByteString.copyFrom(b64.decode(v))));
              }
              if (p.data() != null) {
                b.setData(ByteString.copyFrom(b64.decode(p.data())));
              }
              return b.build();
            })
        .toList();
  }

  private static JsonPayloads toJson(List<Payload> payloads) {
    Base64.Encoder b64 = Base64.getEncoder();
    return new JsonPayloads(
        payloads.stream()
            .map(
                p -> {
                  Map<String, String> metadata = new LinkedHashMap<>();
                  p.getMetadataMap().forEach((k, v) -> metadata.put(k, b64.encodeToString(v.toByteArray())));
                  return new JsonPayload(metadata, b64.encodeToString(p.getData().toByteArray()));
                })
            .toList());
  }
}

package io.videopipe.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** {@code sha256=<hex HMAC-SHA256 over "<timestamp>.<body>">}, the value of {@code X-Videopipe-Signature}. */
public final class WebhookSigner {
  public static final String TIMESTAMP_HEADER = "X-Videopipe-Timestamp";
  public static final String SIGNATURE_HEADER = "X-Videopipe-Signature";

  private final byte[] key;

  public WebhookSigner(String secret) {
    this.key = secret.getBytes(StandardCharsets.UTF_8);
  }

  public String sign(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Constant-time check, for receivers written in Java. */
  public boolean verify(String timestamp, byte[] body, String signature) {
    return signature != null
        && MessageDigest.isEqual(
            sign(timestamp, body).getBytes(StandardCharsets.US_ASCII),
            signature.getBytes(StandardCharsets.US_ASCII));
  }
}

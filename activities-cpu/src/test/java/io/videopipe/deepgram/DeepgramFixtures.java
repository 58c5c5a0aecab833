package io.videopipe.deepgram;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;

/** Bodies shaped like Deepgram's pre-recorded API answers, and WAV files to send. */
final class DeepgramFixtures {
  static final String KEY = "dg-secret-key-5f1c9a";

  private DeepgramFixtures() {}

  /** Two speakers, five words, two utterances, as {@code /v1/listen?smart_format&punctuate&utterances} answers. */
  static final String TRANSCRIPT_BODY =
      """
      {
        "metadata": {
          "transaction_key": "deprecated",
          "request_id": "6b7a8c42-1f0e-4f4a-9d5e-2c1b0a9e8d7f",
          "sha256": "5324da68ede209a16ac69a38e8cd29cee4d754434a041166cda3a1f5e0b24566",
          "created": "2026-11-23T20:00:00.000Z",
          "duration": 4.25,
          "channels": 1,
          "models": ["1abfe86b-e047-4eed-858a-35e5625b41ee"],
          "model_info": {"1abfe86b-e047-4eed-858a-35e5625b41ee": {"name": "general-nova-3", "version": "2025-01-01.0", "arch": "nova-3"}}
        },
        "results": {
          "channels": [
            {
              "alternatives": [
                {
                  "transcript": "Hello world. The pipeline works.",
                  "confidence": 0.97,
                  "words": [
                    {"word": "hello", "start": 0.08, "end": 0.48, "confidence": 0.99, "punctuated_word": "Hello", "speaker": 0, "speaker_confidence": 0.8},
                    {"word": "world", "start": 0.48, "end": 0.96, "confidence": 0.98, "punctuated_word": "world.", "speaker": 0, "speaker_confidence": 0.8},
                    {"word": "the", "start": 1.6, "end": 1.76, "confidence": 0.95, "punctuated_word": "The", "speaker": 1, "speaker_confidence": 0.7},
                    {"word": "pipeline", "start": 1.76, "end": 2.32, "confidence": 0.91, "punctuated_word": "pipeline", "speaker": 1, "speaker_confidence": 0.7},
                    {"word": "works", "start": 2.32, "end": 2.8, "confidence": 0.89, "punctuated_word": "works.", "speaker": 1, "speaker_confidence": 0.7}
                  ],
                  "paragraphs": {"transcript": "\\nSpeaker 0: Hello world.\\n\\nSpeaker 1: The pipeline works.", "paragraphs": []}
                }
              ]
            }
          ],
          "utterances": [
            {"start": 0.08, "end": 0.96, "confidence": 0.985, "channel": 0, "transcript": "Hello world.", "words": [], "speaker": 0, "id": "a1"},
            {"start": 1.6, "end": 2.8, "confidence": 0.92, "channel": 0, "transcript": "The pipeline works.", "words": [], "speaker": 1, "id": "a2"}
          ]
        }
      }
      """;

  static MockResponse ok() {
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(TRANSCRIPT_BODY);
  }

  static MockResponse error(int code, String errCode, String errMsg) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(
            "{\"err_code\":\"" + errCode + "\",\"err_msg\":\"" + errMsg
                + "\",\"request_id\":\"0d4c1e2f-aaaa-bbbb-cccc-123456789abc\"}");
  }

  static DeepgramSettings settings(MockWebServer server) {
    return DeepgramSettings.defaults(server.url("/").toString(), KEY)
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
        .withRetries(4, Duration.ofMillis(20), Duration.ofSeconds(3));
  }

  /** A 16 kHz mono s16le WAV of {@code seconds} of a quiet ramp, written in blocks. */
  static Path wav(Path file, double seconds) throws IOException {
    int samples = (int) Math.round(seconds * 16_000);
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes());
    header.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(16_000).putInt(32_000)
        .putShort((short) 2).putShort((short) 16);
    header.put("data".getBytes()).putInt(samples * 2);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(header.array());
      ByteBuffer block = ByteBuffer.allocate(32_000).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < samples; i++) {
        block.putShort((short) ((i % 200) - 100));
        if (!block.hasRemaining()) {
          out.write(block.array(), 0, block.position());
          block.clear();
        }
      }
      out.write(block.array(), 0, block.position());
    }
    return file;
  }
}

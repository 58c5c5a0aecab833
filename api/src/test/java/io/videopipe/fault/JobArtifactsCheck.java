package io.videopipe.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What must be identical between two runs of the same source. Measured here: undisturbed runs of the same audio give
 * the same audio, highlights and QA verdicts, but Vosk's confidences, a few word times (up to 30 ms) and, at a
 * low-confidence word, the word itself ("build" / "bill" at confidence 0.42 in the sample) vary from run to run. So:
 * audio.wav byte for byte; highlights (rank, text) and QA (check, verdict) exactly; transcript.json word by word, the
 * same count, the same text wherever both runs are confident ({@link #CONFIDENT}), times within
 * {@link #TIME_TOLERANCE_SEC}. The .txt/.srt/.vtt are renderings of the same words. cost.json records measured
 * durations: presence only.
 */
final class JobArtifactsCheck {
  /** Exactly these files per completed job with keepSource=false; anything else is a duplicate or a leftover. */
  static final Set<String> EXPECTED =
      Set.of(
          "audio/audio.wav",
          "transcript/transcript.json",
          "transcript/transcript.srt",
          "transcript/transcript.vtt",
          "transcript/transcript.txt",
          "highlights/highlights.json",
          "qa/qa.json",
          "cost/cost.json");

  static final double TIME_TOLERANCE_SEC = 0.05;
  static final double CONFIDENT = 0.6;
  static final List<String> COMPARED =
      List.of("audio/audio.wav", "highlights/highlights.json", "qa/qa.json");

  private static final JsonMapper CANONICAL =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private JobArtifactsCheck() {}

  /** Relative path of every regular file under the job's directory. */
  static List<String> files(Path jobDir) throws IOException {
    if (!Files.isDirectory(jobDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(jobDir)) {
      return s.filter(Files::isRegularFile).map(p -> jobDir.relativize(p).toString().replace('\\', '/')).sorted().toList();
    }
  }

  /** Digest of the content that must not differ between runs, per artifact. */
  static Map<String, String> digests(Path jobDir, String jobId) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String f : COMPARED) {
      Path p = jobDir.resolve(f);
      if (!Files.exists(p)) {
        continue;
      }
      String content;
      if (f.endsWith(".wav")) {
        out.put(f, sha256(Files.readAllBytes(p)));
        continue;
      } else {
        JsonNode tree = CANONICAL.readTree(p.toFile());
        StringBuilder b = new StringBuilder();
        if (f.endsWith("highlights.json")) {
          tree.path("highlights").forEach(h -> b.append(h.path("rank").asInt()).append(':').append(h.path("text").asText()).append('\n'));
        } else {
          b.append(tree.path("passed").asBoolean()).append('\n');
          tree.path("checks").forEach(c -> b.append(c.path("name").asText()).append('=').append(c.path("passed").asBoolean()).append('\n'));
        }
        content = b.toString();
      }
      out.put(f, sha256(content.getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  /** How a run's words compare with the reference's. */
  record WordComparison(int words, int referenceWords, int confidentMismatches, int unsureMismatches, double maxTimeDelta) {
    boolean matches() {
      return words == referenceWords && confidentMismatches == 0 && maxTimeDelta <= TIME_TOLERANCE_SEC;
    }
  }

  static WordComparison compareWords(Path referenceDir, Path jobDir) throws IOException {
    JsonNode a = CANONICAL.readTree(referenceDir.resolve("transcript/transcript.json").toFile()).path("words");
    JsonNode b = CANONICAL.readTree(jobDir.resolve("transcript/transcript.json").toFile()).path("words");
    int confident = 0;
    int unsure = 0;
    double max = 0;
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      JsonNode x = a.get(i);
      JsonNode y = b.get(i);
      if (!x.path("text").asText().equals(y.path("text").asText())) {
        if (Math.min(x.path("confidence").asDouble(), y.path("confidence").asDouble()) < CONFIDENT) {
          unsure++;
        } else {
          confident++;
        }
      }
      max = Math.max(max, Math.abs(x.path("start").asDouble() - y.path("start").asDouble()));
      max = Math.max(max, Math.abs(x.path("end").asDouble() - y.path("end").asDouble()));
    }
    return new WordComparison(b.size(), a.size(), confident, unsure, max);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

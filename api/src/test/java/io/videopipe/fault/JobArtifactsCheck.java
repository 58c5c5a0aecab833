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
 * What must be identical between two runs of the same source: byte-identical audio and subtitle/text transcripts, and
 * the JSON artifacts once the job's own id is replaced by a placeholder. cost.json is compared by presence only: it
 * records measured step durations, which differ from run to run (and more so when a worker died mid-step).
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

  static final Set<String> BYTE_IDENTICAL =
      Set.of("audio/audio.wav", "transcript/transcript.srt", "transcript/transcript.vtt", "transcript/transcript.txt");
  static final Set<String> JSON_IDENTICAL =
      Set.of("transcript/transcript.json", "highlights/highlights.json", "qa/qa.json");

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
    for (String f : BYTE_IDENTICAL) {
      Path p = jobDir.resolve(f);
      if (Files.exists(p)) {
        out.put(f, sha256(Files.readAllBytes(p)));
      }
    }
    for (String f : JSON_IDENTICAL) {
      Path p = jobDir.resolve(f);
      if (Files.exists(p)) {
        // the job's id appears as its own value and inside the job's storage URIs; nothing else may differ
        String text = Files.readString(p).replace("/jobs/" + jobId + "/", "/jobs/<job>/")
            .replace("\"" + jobId + "\"", "\"<job>\"");
        JsonNode tree = CANONICAL.readTree(text);
        Object plain = CANONICAL.treeToValue(tree, Object.class);
        out.put(f, sha256(CANONICAL.writeValueAsString(plain).getBytes(StandardCharsets.UTF_8)));
      }
    }
    return out;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

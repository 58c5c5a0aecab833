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
 * What must be identical between two runs of the same source. Measured on this machine: two undisturbed runs of the
 * same audio give the same words but Vosk's confidences and a few word times differ in the last digits (1-30 ms), so
 * byte equality holds only for audio.wav and transcript.txt. For the rest the content compared is: the word sequence
 * (transcript.json), the cue texts (srt, vtt), each highlight's rank and text, each QA check's name and verdict; word
 * times are compared within {@link #TIME_TOLERANCE_SEC}. cost.json records measured durations: presence only.
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
  static final List<String> COMPARED =
      List.of("audio/audio.wav", "transcript/transcript.txt", "transcript/transcript.json", "transcript/transcript.srt",
          "transcript/transcript.vtt", "highlights/highlights.json", "qa/qa.json");

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
      if (f.endsWith(".wav") || f.endsWith(".txt")) {
        out.put(f, sha256(Files.readAllBytes(p)));
        continue;
      } else if (f.endsWith(".srt") || f.endsWith(".vtt")) {
        // cue texts without their timing lines
        content = String.join("\n", Files.readAllLines(p).stream().filter(l -> !l.contains("-->")).toList());
      } else {
        JsonNode tree = CANONICAL.readTree(p.toFile());
        StringBuilder b = new StringBuilder();
        if (f.endsWith("transcript.json")) {
          tree.path("words").forEach(w -> b.append(w.path("word").asText()).append(' '));
        } else if (f.endsWith("highlights.json")) {
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

  /** Largest difference of a word's start or end between two transcripts with the same words. */
  static double maxWordTimeDelta(Path referenceDir, Path jobDir) throws IOException {
    JsonNode a = CANONICAL.readTree(referenceDir.resolve("transcript/transcript.json").toFile()).path("words");
    JsonNode b = CANONICAL.readTree(jobDir.resolve("transcript/transcript.json").toFile()).path("words");
    double max = a.size() == b.size() ? 0 : Double.POSITIVE_INFINITY;
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      max = Math.max(max, Math.abs(a.get(i).path("start").asDouble() - b.get(i).path("start").asDouble()));
      max = Math.max(max, Math.abs(a.get(i).path("end").asDouble() - b.get(i).path("end").asDouble()));
    }
    return max;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.videopipe.parakeet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The SentencePiece tokens of {@code vocab.txt} (lines {@code token id}); the blank {@code <blk>} is the last one.
 *
 * @param tokens token text by id; {@code ▁} marks a word start
 */
public record Vocabulary(List<String> tokens) {
  public static final String BLANK = "<blk>";
  public static final String WORD_START = "\u2581";

  public Vocabulary {
    tokens = List.copyOf(tokens);
  }

  /** Token count including the blank: the width of the joint's token logits. */
  public int size() {
    return tokens.size();
  }

  public int blank() {
    return tokens.size() - 1;
  }

  public String token(int id) {
    return tokens.get(id);
  }

  static Vocabulary read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> tokens = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      int id;
      try {
        id = Integer.parseInt(line.substring(space + 1).trim());
      } catch (NumberFormatException | IndexOutOfBoundsException e) {
        throw new InvalidModelException(file + " line " + (i + 1) + ": expected 'token id', got '" + line + "'");
      }
      if (space < 0 || id != tokens.size()) {
        throw new InvalidModelException(
            file + " line " + (i + 1) + ": expected 'token " + tokens.size() + "', got '" + line + "'");
      }
      tokens.add(line.substring(0, space));
    }
    if (tokens.isEmpty()) {
      throw new InvalidModelException(file + " has no tokens");
    }
    if (!BLANK.equals(tokens.get(tokens.size() - 1))) {
      throw new InvalidModelException(
          file + ": the last token must be the blank " + BLANK + ", is '" + tokens.get(tokens.size() - 1) + "'");
    }
    return new Vocabulary(tokens);
  }
}

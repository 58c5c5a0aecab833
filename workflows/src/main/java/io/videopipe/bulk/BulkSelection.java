package io.videopipe.bulk;

/**
 * Which videos a bulk reprocessing run takes: every object under a storage {@code prefix}, or the sources of past jobs
 * transcribed by {@code engine} and started in [{@code from}, {@code to}) (ISO-8601 instants; needs a Temporal server
 * with visibility).
 */
public record BulkSelection(String prefix, String engine, String from, String to) {
  public BulkSelection {
    prefix = prefix == null || prefix.isBlank() ? null : prefix;
    if (prefix == null && engine == null && from == null && to == null) {
      throw new IllegalArgumentException("select videos by prefix, or past jobs by engine/from/to");
    }
    if (prefix != null && (engine != null || from != null || to != null)) {
      throw new IllegalArgumentException("select by prefix or by past jobs (engine/from/to), not both");
    }
  }

  public static BulkSelection ofPrefix(String prefix) {
    return new BulkSelection(prefix, null, null, null);
  }

  public boolean byPrefix() {
    return prefix != null;
  }
}

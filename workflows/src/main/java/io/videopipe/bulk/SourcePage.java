package io.videopipe.bulk;

import java.util.List;

/**
 * One page of selected source URIs; {@code nextCursor} is null on the last page. {@code owners}, when present, holds
 * the tenant of each source's past job (same order): its reprocessed job belongs to that tenant, not to the run's.
 * Null where the run's tenant owns every source (a storage prefix).
 */
public record SourcePage(List<String> sources, String nextCursor, List<String> owners) {
  public SourcePage {
    if (owners != null && owners.size() != sources.size()) {
      throw new IllegalArgumentException("one owner per source: " + owners.size() + " for " + sources.size());
    }
  }

  /** The tenant owning the {@code i}th source; null for the run's own. */
  public String owner(int i) {
    return owners == null ? null : owners.get(i);
  }
}

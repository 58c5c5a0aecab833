package io.videopipe.bulk;

import java.util.List;

/** One page of selected source URIs; {@code nextCursor} is null on the last page. */
public record SourcePage(List<String> sources, String nextCursor) {}

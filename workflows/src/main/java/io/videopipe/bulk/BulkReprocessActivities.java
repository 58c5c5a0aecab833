package io.videopipe.bulk;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Selection for {@link BulkReprocessWorkflow}: source URIs a page at a time, so huge catalogues stay out of history. */
@ActivityInterface
public interface BulkReprocessActivities {
  /** Failure type when the selection cannot work here (e.g. visibility queries on the embedded server). */
  String UNSUPPORTED_TYPE = "SelectionUnsupported";

  /**
   * @param cursor null for the first page, else the previous page's {@link SourcePage#nextCursor()}
   */
  @ActivityMethod(name = "SelectSources")
  SourcePage selectSources(BulkSelection selection, String cursor, int pageSize);
}

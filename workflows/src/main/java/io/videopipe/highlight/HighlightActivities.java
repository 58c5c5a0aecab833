package io.videopipe.highlight;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface HighlightActivities {

  /**
   * Picks at most {@code options.maxCount()} non-overlapping highlights of complete sentences, each within the bounds,
   * ranked by the documented score; writes {@code jobs/<jobId>/highlights/highlights.json}.
   */
  @ActivityMethod(name = "PickHighlights")
  HighlightSet pickHighlights(HighlightRequest request);
}

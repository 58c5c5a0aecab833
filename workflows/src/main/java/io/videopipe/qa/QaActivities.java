package io.videopipe.qa;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface QaActivities {

  /** Runs every check and reports each with its measured value; writes {@code jobs/<jobId>/qa/qa.json}. */
  @ActivityMethod(name = "QualityCheck")
  QaReport check(QaRequest request);
}

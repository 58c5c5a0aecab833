package io.videopipe.cost;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface CostActivities {

  /** Prices every step attempt with the configured (dated) prices; writes {@code jobs/<jobId>/cost/cost.json}. */
  @ActivityMethod(name = "ComputeCost")
  CostReport computeCost(CostRequest request);
}

package io.videopipe.route;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface RouteActivities {

  /** Which engines can take work now, with their estimated price and speed. */
  @ActivityMethod(name = "GatherRouteFacts")
  RouteFacts gatherFacts();
}

package io.videopipe.route;

import java.util.List;

/**
 * Which engine transcribes the job, what runs if it fails, and why.
 *
 * @param primary engine tried first
 * @param fallbacks engines tried next, in order
 * @param estimates estimated cost and latency of every engine in the plan
 * @param reason one human line, shown in the result and the Web UI
 * @param refiner engine that re-transcribes the primary's low-confidence stretches (HYBRID), or null for none; it runs
 *     only when the primary's transcript is kept
 */
public record RoutePlan(
    Engine primary, List<Engine> fallbacks, List<EngineEstimate> estimates, String reason, Engine refiner) {

  /** A plan without a refiner. */
  public RoutePlan(Engine primary, List<Engine> fallbacks, List<EngineEstimate> estimates, String reason) {
    this(primary, fallbacks, estimates, reason, null);
  }
}

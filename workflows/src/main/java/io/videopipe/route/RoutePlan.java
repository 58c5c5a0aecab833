package io.videopipe.route;

import java.util.List;

/**
 * Which engine transcribes the job, what runs if it fails, and why.
 *
 * @param primary engine tried first
 * @param fallbacks engines tried next, in order
 * @param estimates estimated cost and latency of every engine in the plan
 * @param reason one human line, shown in the result and the Web UI
 */
public record RoutePlan(Engine primary, List<Engine> fallbacks, List<EngineEstimate> estimates, String reason) {}

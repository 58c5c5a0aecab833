package io.videopipe.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Chooses the transcription engine of a job. Pure and deterministic, so the workflow can call it directly.
 *
 * <ul>
 *   <li>AUTO: the first available engine of {@link #PREFERENCE} (PARAKEET, DEEPGRAM, LOCAL); LOCAL when none is
 *       available, as the last resort. Fallbacks: the other available engines in preference order.
 *   <li>A named engine: that engine first even when the facts call it unavailable (a GPU worker may still come; the
 *       schedule-to-start timeout and the fallbacks cover it). Fallbacks: the other available engines.
 * </ul>
 *
 * LOCAL needs neither account nor GPU, so it is always last among the fallbacks.
 */
public final class RoutePolicy {

  /** Engines in the order AUTO prefers them: fastest and most accurate first, the offline last resort last. */
  public static final List<Engine> PREFERENCE = List.of(Engine.PARAKEET, Engine.DEEPGRAM, Engine.LOCAL);

  private RoutePolicy() {}

  /**
   * @param requested what the job asked for
   * @param audioDurationSec seconds of audio to transcribe, for the estimates
   * @param priority the job's priority key, 1..5; validated, it does not change the choice: every job gets the
   *     best available engine
   * @param facts what {@link RouteActivities#gatherFacts()} found
   * @throws IllegalArgumentException for a missing mode or facts, a negative or NaN duration, or a priority outside
   *     1..5
   */
  public static RoutePlan plan(EngineMode requested, double audioDurationSec, int priority, RouteFacts facts) {
    if (requested == null || facts == null || facts.options() == null) {
      throw new IllegalArgumentException("requested mode and route facts are required");
    }
    if (Double.isNaN(audioDurationSec) || audioDurationSec < 0) {
      throw new IllegalArgumentException("audio duration must be >= 0 s, was " + audioDurationSec);
    }
    if (priority < 1 || priority > 5) {
      throw new IllegalArgumentException("priority must be 1 (highest) to 5, was " + priority);
    }

    Engine primary;
    List<Engine> skipped = new ArrayList<>();
    if (requested == EngineMode.AUTO) {
      primary = Engine.LOCAL;
      for (Engine e : PREFERENCE) {
        if (facts.available(e)) {
          primary = e;
          break;
        }
        if (e != Engine.LOCAL) {
          skipped.add(e);
        }
      }
    } else {
      primary = Engine.valueOf(requested.name());
    }

    List<Engine> fallbacks = new ArrayList<>();
    for (Engine e : PREFERENCE) {
      if (e != primary && facts.available(e)) {
        fallbacks.add(e);
      }
    }

    List<EngineEstimate> estimates = new ArrayList<>();
    estimates.add(estimate(primary, audioDurationSec, facts));
    for (Engine e : fallbacks) {
      estimates.add(estimate(e, audioDurationSec, facts));
    }

    String reason = reason(requested, primary, skipped, fallbacks, estimates.get(0), facts);
    return new RoutePlan(primary, List.copyOf(fallbacks), List.copyOf(estimates), reason);
  }

  /** Price and processing time of one engine for this much audio; zero when the facts do not know the engine. */
  static EngineEstimate estimate(Engine engine, double audioDurationSec, RouteFacts facts) {
    Optional<EngineOption> option = facts.option(engine);
    if (option.isEmpty()) {
      return new EngineEstimate(engine, 0, 0);
    }
    EngineOption o = option.get();
    return new EngineEstimate(
        engine, o.usdPerAudioMinute() * audioDurationSec / 60.0, o.realTimeFactor() * audioDurationSec);
  }

  private static String reason(
      EngineMode requested,
      Engine primary,
      List<Engine> skipped,
      List<Engine> fallbacks,
      EngineEstimate primaryEstimate,
      RouteFacts facts) {
    StringBuilder line = new StringBuilder();
    if (requested == EngineMode.AUTO) {
      line.append("auto: ").append(primary.wireName());
      List<String> why = new ArrayList<>();
      for (Engine e : skipped) {
        why.add(detail(e, facts));
      }
      if (!facts.available(primary)) {
        why.add(primary.wireName() + " not reported available either, trying it as the last resort: "
            + detail(primary, facts));
      } else if (skipped.isEmpty()) {
        why.add(detail(primary, facts));
      }
      line.append(" (").append(String.join(", ", why)).append(')');
    } else {
      line.append("requested: ").append(primary.wireName());
      if (!facts.available(primary)) {
        line.append(" (not available now: ").append(detail(primary, facts)).append("; trying it anyway)");
      }
    }
    if (facts.option(primary).isPresent()) {
      line.append(
          String.format(
              Locale.ROOT,
              "; est. $%.4f, %d s",
              primaryEstimate.estimatedUsd(),
              Math.round(primaryEstimate.estimatedSec())));
    } else {
      line.append("; no estimate");
    }
    if (!fallbacks.isEmpty()) {
      line.append("; then ").append(fallbacks.stream().map(Engine::wireName).collect(Collectors.joining(", ")));
    }
    return line.toString();
  }

  private static String detail(Engine engine, RouteFacts facts) {
    return facts.option(engine)
        .map(EngineOption::detail)
        .filter(d -> d != null && !d.isBlank())
        .orElse(engine.wireName() + " not reported");
  }
}

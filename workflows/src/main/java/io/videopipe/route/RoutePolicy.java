package io.videopipe.route;

import io.videopipe.pipeline.JobRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Chooses the transcription engine of a job. Pure and deterministic, so the workflow calls it directly.
 *
 * <ul>
 *   <li>Accuracy first: PARAKEET and DEEPGRAM are the accurate engines; LOCAL (offline Vosk) is the last resort and
 *       always last among the fallbacks.
 *   <li>AUTO: among the available accurate engines within the budget, the cheapest (priority 3..5) or the fastest
 *       (priority 1..2, the cost breaking ties); LOCAL when none is, even when not reported available.
 *   <li>A named engine (LOCAL, PARAKEET, DEEPGRAM): that engine first even when the facts call it unavailable (a GPU
 *       worker may still come; the schedule-to-start timeout and the fallbacks cover it), unless its estimate is over
 *       the budget: then AUTO decides.
 *   <li>Budget: an engine whose estimated cost is over the job's budget is neither primary nor fallback. When no engine
 *       fits, the cheapest one runs, so a job is never dropped, and the reason says so.
 *   <li>Fallbacks: the other available engines within the budget, ranked as above, LOCAL last.
 *   <li>HYBRID: PARAKEET first with DEEPGRAM as the refiner of its low-confidence stretches, when both are available and
 *       the worst case (PARAKEET plus DEEPGRAM on all of the audio) fits the budget; fallbacks as for PARAKEET. Otherwise
 *       AUTO decides on a single engine and the reason says why hybrid was not possible.
 * </ul>
 */
public final class RoutePolicy {

  /** Engines in order of accuracy: the order that breaks every tie. */
  public static final List<Engine> PREFERENCE = List.of(Engine.PARAKEET, Engine.DEEPGRAM, Engine.LOCAL);

  /** Priority keys up to this one rank engines by speed; the others by price. */
  public static final int LATENCY_FIRST_UP_TO_PRIORITY = 2;

  private RoutePolicy() {}

  /**
   * @param requested what the job asked for
   * @param audioDurationSec seconds of audio to transcribe, for the estimates
   * @param priority the job's priority key, 1 (highest) .. 5: 1 and 2 rank engines by estimated latency, 3..5 by cost
   * @param budgetUsd the most the job may spend on transcription, > 0 ({@link JobRequest#requireBudget}); null for no
   *     limit
   * @param facts what {@link RouteActivities#gatherFacts()} found: availability (GPU pollers, Deepgram key), price and
   *     speed of each engine
   * @throws IllegalArgumentException for a missing mode or facts, a negative or NaN duration, a budget that is not
   *     positive, or a priority outside 1..5
   */
  public static RoutePlan plan(
      EngineMode requested, double audioDurationSec, int priority, Double budgetUsd, RouteFacts facts) {
    if (requested == null || facts == null || facts.options() == null) {
      throw new IllegalArgumentException("requested mode and route facts are required");
    }
    if (Double.isNaN(audioDurationSec) || audioDurationSec < 0) {
      throw new IllegalArgumentException("audio duration must be >= 0 s, was " + audioDurationSec);
    }
    JobRequest.requirePriority(priority);
    JobRequest.requireBudget(budgetUsd);
    if (requested == EngineMode.HYBRID) {
      return hybrid(audioDurationSec, priority, budgetUsd, facts);
    }
    boolean latencyFirst = priority <= LATENCY_FIRST_UP_TO_PRIORITY;
    Comparator<Engine> rank = rank(audioDurationSec, latencyFirst, facts);
    List<Engine> overBudget = new ArrayList<>();
    for (Engine e : PREFERENCE) {
      if (!fits(e, audioDurationSec, budgetUsd, facts)) {
        overBudget.add(e);
      }
    }

    List<String> why = new ArrayList<>();
    Engine primary = null;
    boolean auto = requested == EngineMode.AUTO;
    if (!auto) {
      Engine named = Engine.valueOf(requested.name());
      if (overBudget.contains(named)) {
        why.add("requested " + named.wireName() + " is over the budget, " + money(cost(named, audioDurationSec, facts))
            + " > " + money(budgetUsd));
        auto = true;
      } else {
        primary = named;
        if (!facts.available(named)) {
          why.add("not available now: " + detail(named, facts) + "; trying it anyway");
        }
      }
    }
    if (auto) {
      List<Engine> accurate =
          PREFERENCE.stream()
              .filter(e -> e != Engine.LOCAL && facts.available(e) && !overBudget.contains(e))
              .sorted(rank)
              .toList();
      if (!accurate.isEmpty()) {
        primary = accurate.get(0);
        // Say why the engines that are not taking the job are out; the primary's own detail when none is.
        for (Engine e : PREFERENCE) {
          if (e != Engine.LOCAL && !facts.available(e) && !overBudget.contains(e)) {
            why.add(detail(e, facts));
          }
        }
        if (why.isEmpty()) {
          why.add(detail(primary, facts));
        }
      } else {
        for (Engine e : PREFERENCE) {
          if (e != Engine.LOCAL && !overBudget.contains(e)) {
            why.add(detail(e, facts));
          }
        }
        if (!overBudget.contains(Engine.LOCAL)) {
          primary = Engine.LOCAL;
          if (!facts.available(Engine.LOCAL)) {
            why.add("local not reported available either, trying it as the last resort: " + detail(Engine.LOCAL, facts));
          } else if (why.isEmpty()) {
            why.add(detail(Engine.LOCAL, facts));
          }
        } else {
          primary = cheapest(audioDurationSec, facts);
          why.add("no engine fits the budget of " + money(budgetUsd) + ", running the cheapest");
        }
      }
    }

    Engine chosen = primary;
    List<Engine> fallbacks = new ArrayList<>();
    PREFERENCE.stream()
        .filter(e -> e != chosen && e != Engine.LOCAL && facts.available(e) && !overBudget.contains(e))
        .sorted(rank)
        .forEach(fallbacks::add);
    if (chosen != Engine.LOCAL && facts.available(Engine.LOCAL) && !overBudget.contains(Engine.LOCAL)) {
      fallbacks.add(Engine.LOCAL);
    }

    List<EngineEstimate> estimates = new ArrayList<>();
    estimates.add(estimate(primary, audioDurationSec, facts));
    for (Engine e : fallbacks) {
      estimates.add(estimate(e, audioDurationSec, facts));
    }
    String reason =
        reason(requested, auto, latencyFirst, primary, why, fallbacks, estimates.get(0), overBudget, budgetUsd,
            audioDurationSec, facts);
    return new RoutePlan(primary, List.copyOf(fallbacks), List.copyOf(estimates), reason);
  }

  private static RoutePlan hybrid(double sec, int priority, Double budgetUsd, RouteFacts facts) {
    List<String> missing = new ArrayList<>();
    for (Engine e : List.of(Engine.PARAKEET, Engine.DEEPGRAM)) {
      if (!facts.available(e)) {
        missing.add(detail(e, facts));
      }
    }
    double worstCase = cost(Engine.PARAKEET, sec, facts) + cost(Engine.DEEPGRAM, sec, facts);
    if (missing.isEmpty() && budgetUsd != null && worstCase > budgetUsd) {
      missing.add("parakeet plus deepgram on all of the audio, " + money(worstCase) + ", is over the "
          + money(budgetUsd) + " budget");
    }
    if (!missing.isEmpty()) {
      RoutePlan single = plan(EngineMode.AUTO, sec, priority, budgetUsd, facts);
      return new RoutePlan(
          single.primary(), single.fallbacks(), single.estimates(),
          "hybrid not possible (" + String.join(", ", missing) + "), a single engine instead: " + single.reason());
    }
    RoutePlan parakeet = plan(EngineMode.PARAKEET, sec, priority, budgetUsd, facts);
    EngineEstimate first = parakeet.estimates().get(0);
    String reason =
        String.format(
            Locale.ROOT,
            "requested hybrid: parakeet, then its low-confidence stretches re-transcribed by deepgram; est. %s (at most"
                + " %s with every stretch refined), %d s",
            money(first.estimatedUsd()),
            money(worstCase),
            Math.round(first.estimatedSec()));
    if (!parakeet.fallbacks().isEmpty()) {
      reason +=
          "; then " + parakeet.fallbacks().stream().map(Engine::wireName).collect(Collectors.joining(", "));
    }
    return new RoutePlan(Engine.PARAKEET, parakeet.fallbacks(), parakeet.estimates(), reason, Engine.DEEPGRAM);
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

  private static double cost(Engine e, double sec, RouteFacts facts) {
    return estimate(e, sec, facts).estimatedUsd();
  }

  private static boolean fits(Engine e, double sec, Double budgetUsd, RouteFacts facts) {
    return budgetUsd == null || cost(e, sec, facts) <= budgetUsd;
  }

  private static Comparator<Engine> rank(double sec, boolean latencyFirst, RouteFacts facts) {
    Comparator<Engine> byCost = Comparator.comparingDouble(e -> estimate(e, sec, facts).estimatedUsd());
    Comparator<Engine> byTime = Comparator.comparingDouble(e -> estimate(e, sec, facts).estimatedSec());
    Comparator<Engine> byPreference = Comparator.comparingInt(PREFERENCE::indexOf);
    return (latencyFirst ? byTime.thenComparing(byCost) : byCost.thenComparing(byTime)).thenComparing(byPreference);
  }

  /** The engine to run when none fits the budget: the cheapest available one, or the cheapest known one. */
  private static Engine cheapest(double sec, RouteFacts facts) {
    Comparator<Engine> byCost =
        Comparator.<Engine>comparingDouble(e -> cost(e, sec, facts)).thenComparing(PREFERENCE::indexOf);
    return PREFERENCE.stream()
        .filter(facts::available)
        .min(byCost)
        .orElseGet(() -> PREFERENCE.stream().filter(e -> facts.option(e).isPresent()).min(byCost).orElse(Engine.LOCAL));
  }

  private static String reason(
      EngineMode requested,
      boolean auto,
      boolean latencyFirst,
      Engine primary,
      List<String> why,
      List<Engine> fallbacks,
      EngineEstimate primaryEstimate,
      List<Engine> overBudget,
      Double budgetUsd,
      double sec,
      RouteFacts facts) {
    StringBuilder line = new StringBuilder();
    if (!auto) {
      line.append("requested");
    } else {
      line.append(requested == EngineMode.AUTO ? "auto" : "requested " + requested.name().toLowerCase(Locale.ROOT)
          + " replaced by auto");
      if (latencyFirst) {
        line.append(" (high priority: fastest first)");
      }
    }
    line.append(": ").append(primary.wireName());
    if (!why.isEmpty()) {
      line.append(" (").append(String.join(", ", why)).append(')');
    }
    if (facts.option(primary).isPresent()) {
      line.append(
          String.format(
              Locale.ROOT,
              "; est. %s, %d s",
              money(primaryEstimate.estimatedUsd()),
              Math.round(primaryEstimate.estimatedSec())));
    } else {
      line.append("; no estimate");
    }
    List<String> excluded =
        overBudget.stream()
            .filter(e -> e != primary && facts.available(e))
            .map(e -> e.wireName() + " " + money(cost(e, sec, facts)))
            .toList();
    if (!excluded.isEmpty()) {
      line.append("; over the ").append(money(budgetUsd)).append(" budget: ").append(String.join(", ", excluded));
    }
    if (!fallbacks.isEmpty()) {
      line.append("; then ").append(fallbacks.stream().map(Engine::wireName).collect(Collectors.joining(", ")));
    }
    return line.toString();
  }

  private static String money(Double usd) {
    return String.format(Locale.ROOT, "$%.4f", usd);
  }

  private static String detail(Engine engine, RouteFacts facts) {
    return facts.option(engine)
        .map(EngineOption::detail)
        .filter(d -> d != null && !d.isBlank())
        .orElse(engine.wireName() + " not reported");
  }
}

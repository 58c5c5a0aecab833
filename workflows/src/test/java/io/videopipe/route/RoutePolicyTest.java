package io.videopipe.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutePolicyTest {

  private static final double FIVE_MINUTES = 300;

  private static EngineOption local(boolean available) {
    return new EngineOption(Engine.LOCAL, available, 0.00024, 0.03, available ? "vosk model loaded" : "no vosk model");
  }

  private static EngineOption parakeet(boolean available) {
    return new EngineOption(Engine.PARAKEET, available, 0.002, 0.05, available ? "2 GPU pollers" : "no GPU worker");
  }

  private static EngineOption deepgram(boolean available) {
    return new EngineOption(
        Engine.DEEPGRAM, available, 0.0043, 0.1, available ? "API key configured" : "no Deepgram key");
  }

  private static RouteFacts facts(EngineOption... options) {
    return new RouteFacts(List.of(options));
  }

  private static void assertEstimate(EngineEstimate actual, Engine engine, double usd, double sec) {
    assertThat(actual.engine()).isEqualTo(engine);
    assertThat(actual.estimatedUsd()).isCloseTo(usd, within(1e-12));
    assertThat(actual.estimatedSec()).isCloseTo(sec, within(1e-9));
  }

  @Test
  void autoPicksLocalWithoutGpuOrDeepgram() {
    RoutePlan plan =
        RoutePolicy.plan(
            EngineMode.AUTO, FIVE_MINUTES, 3, null, facts(parakeet(false), deepgram(false), local(true)));

    assertThat(plan.primary()).isEqualTo(Engine.LOCAL);
    assertThat(plan.fallbacks()).isEmpty();
    assertThat(plan.reason()).isEqualTo("auto: local (no GPU worker, no Deepgram key); est. $0.0012, 9 s");
    assertThat(plan.estimates()).hasSize(1);
    assertEstimate(plan.estimates().get(0), Engine.LOCAL, 0.0012, 9.0);
  }

  @Test
  void autoPrefersParakeetThenDeepgramThenLocal() {
    RoutePlan plan =
        RoutePolicy.plan(EngineMode.AUTO, FIVE_MINUTES, 3, null, facts(local(true), deepgram(true), parakeet(true)));

    assertThat(plan.primary()).isEqualTo(Engine.PARAKEET);
    assertThat(plan.fallbacks()).containsExactly(Engine.DEEPGRAM, Engine.LOCAL);
    assertThat(plan.estimates()).extracting(EngineEstimate::engine)
        .containsExactly(Engine.PARAKEET, Engine.DEEPGRAM, Engine.LOCAL);
    assertThat(plan.reason()).isEqualTo("auto: parakeet (2 GPU pollers); est. $0.0100, 15 s; then deepgram, local");
  }

  @Test
  void autoPicksDeepgramWhenNoGpu() {
    RoutePlan plan =
        RoutePolicy.plan(EngineMode.AUTO, FIVE_MINUTES, 3, null, facts(parakeet(false), deepgram(true), local(true)));

    assertThat(plan.primary()).isEqualTo(Engine.DEEPGRAM);
    assertThat(plan.fallbacks()).containsExactly(Engine.LOCAL);
    assertThat(plan.reason()).isEqualTo("auto: deepgram (no GPU worker); est. $0.0215, 30 s; then local");
  }

  @Test
  void autoFallsBackToLocalAsLastResortWhenNothingIsAvailable() {
    RoutePlan plan =
        RoutePolicy.plan(EngineMode.AUTO, FIVE_MINUTES, 3, null, facts(parakeet(false), deepgram(false), local(false)));

    assertThat(plan.primary()).isEqualTo(Engine.LOCAL);
    assertThat(plan.fallbacks()).isEmpty();
    assertThat(plan.reason())
        .startsWith("auto: local (no GPU worker, no Deepgram key, local not reported available either")
        .contains("no vosk model");
  }

  @Test
  void autoWithParakeetAndLocalOnlySkipsDeepgramInFallbacks() {
    RoutePlan plan =
        RoutePolicy.plan(EngineMode.AUTO, FIVE_MINUTES, 3, null, facts(parakeet(true), deepgram(false), local(true)));

    assertThat(plan.primary()).isEqualTo(Engine.PARAKEET);
    assertThat(plan.fallbacks()).containsExactly(Engine.LOCAL);
  }

  @Test
  void namedEngineIsPrimaryEvenWhenUnavailable() {
    RoutePlan plan =
        RoutePolicy.plan(EngineMode.PARAKEET, FIVE_MINUTES, 3, null, facts(parakeet(false), deepgram(true), local(true)));

    assertThat(plan.primary()).isEqualTo(Engine.PARAKEET);
    assertThat(plan.fallbacks()).containsExactly(Engine.DEEPGRAM, Engine.LOCAL);
    assertThat(plan.reason())
        .isEqualTo(
            "requested: parakeet (not available now: no GPU worker; trying it anyway); est. $0.0100, 15 s;"
                + " then deepgram, local");
  }

  @Test
  void namedAvailableEngineHasPlainReason() {
    RoutePlan plan =
        RoutePolicy.plan(EngineMode.DEEPGRAM, FIVE_MINUTES, 3, null, facts(parakeet(true), deepgram(true), local(true)));

    assertThat(plan.primary()).isEqualTo(Engine.DEEPGRAM);
    // Other available engines in preference order, LOCAL last.
    assertThat(plan.fallbacks()).containsExactly(Engine.PARAKEET, Engine.LOCAL);
    assertThat(plan.reason()).isEqualTo("requested: deepgram; est. $0.0215, 30 s; then parakeet, local");
  }

  @Test
  void namedLocalNeverListsItselfAsFallback() {
    RoutePlan plan =
        RoutePolicy.plan(EngineMode.LOCAL, FIVE_MINUTES, 3, null, facts(parakeet(true), deepgram(false), local(true)));

    assertThat(plan.primary()).isEqualTo(Engine.LOCAL);
    assertThat(plan.fallbacks()).containsExactly(Engine.PARAKEET);
  }

  @Test
  void engineMissingFromFactsIsUnavailableAndHasNoEstimate() {
    RoutePlan auto = RoutePolicy.plan(EngineMode.AUTO, FIVE_MINUTES, 3, null, facts(local(true)));
    assertThat(auto.primary()).isEqualTo(Engine.LOCAL);
    assertThat(auto.reason()).startsWith("auto: local (parakeet not reported, deepgram not reported)");

    RoutePlan named = RoutePolicy.plan(EngineMode.PARAKEET, FIVE_MINUTES, 3, null, facts(local(true)));
    assertThat(named.primary()).isEqualTo(Engine.PARAKEET);
    assertThat(named.fallbacks()).containsExactly(Engine.LOCAL);
    assertThat(named.estimates().get(0)).isEqualTo(new EngineEstimate(Engine.PARAKEET, 0, 0));
    assertThat(named.reason())
        .isEqualTo("requested: parakeet (not available now: parakeet not reported; trying it anyway); no estimate;"
            + " then local");
  }

  @Test
  void estimatesScaleWithDuration() {
    RoutePlan plan =
        RoutePolicy.plan(EngineMode.AUTO, 2700, 3, null, facts(parakeet(true), deepgram(true), local(true)));

    assertThat(plan.estimates()).hasSize(3);
    assertEstimate(plan.estimates().get(0), Engine.PARAKEET, 0.09, 135);
    assertEstimate(plan.estimates().get(1), Engine.DEEPGRAM, 0.1935, 270);
    assertEstimate(plan.estimates().get(2), Engine.LOCAL, 0.0108, 81);
    RoutePlan empty = RoutePolicy.plan(EngineMode.AUTO, 0, 3, null, facts(local(true)));
    assertThat(empty.estimates()).containsExactly(new EngineEstimate(Engine.LOCAL, 0, 0));
  }

  /** One row of the policy table: the inputs and the plan they must give. */
  record Row(
      String name,
      EngineMode mode,
      double audioSec,
      int priority,
      Double budgetUsd,
      List<EngineOption> facts,
      Engine primary,
      List<Engine> fallbacks,
      String reasonContains) {}

  private static EngineOption slowParakeet() {
    // A GPU that is busy: slower than Deepgram for this job, still cheaper.
    return new EngineOption(Engine.PARAKEET, true, 0.002, 0.3, "1 GPU poller, backlog");
  }

  static List<Row> table() {
    List<EngineOption> all = List.of(parakeet(true), deepgram(true), local(true));
    List<EngineOption> noGpu = List.of(parakeet(false), deepgram(true), local(true));
    List<EngineOption> noKey = List.of(parakeet(true), deepgram(false), local(true));
    List<EngineOption> localOnly = List.of(parakeet(false), deepgram(false), local(true));
    List<EngineOption> busyGpu = List.of(slowParakeet(), deepgram(true), local(true));
    double min45 = 2700;
    return List.of(
        // every mode with every engine available
        new Row("auto, all available", EngineMode.AUTO, FIVE_MINUTES, 3, null, all, Engine.PARAKEET,
            List.of(Engine.DEEPGRAM, Engine.LOCAL), "auto: parakeet"),
        new Row("parakeet, all available", EngineMode.PARAKEET, FIVE_MINUTES, 3, null, all, Engine.PARAKEET,
            List.of(Engine.DEEPGRAM, Engine.LOCAL), "requested: parakeet"),
        new Row("deepgram, all available", EngineMode.DEEPGRAM, FIVE_MINUTES, 3, null, all, Engine.DEEPGRAM,
            List.of(Engine.PARAKEET, Engine.LOCAL), "requested: deepgram"),
        new Row("local, all available", EngineMode.LOCAL, FIVE_MINUTES, 3, null, all, Engine.LOCAL,
            List.of(Engine.PARAKEET, Engine.DEEPGRAM), "requested: local"),
        // missing engines
        new Row("auto, no GPU worker", EngineMode.AUTO, FIVE_MINUTES, 3, null, noGpu, Engine.DEEPGRAM,
            List.of(Engine.LOCAL), "auto: deepgram (no GPU worker)"),
        new Row("auto, no Deepgram key", EngineMode.AUTO, FIVE_MINUTES, 3, null, noKey, Engine.PARAKEET,
            List.of(Engine.LOCAL), "auto: parakeet"),
        new Row("auto, local only", EngineMode.AUTO, FIVE_MINUTES, 3, null, localOnly, Engine.LOCAL, List.of(),
            "auto: local (no GPU worker, no Deepgram key)"),
        new Row("deepgram without key is tried, then falls back", EngineMode.DEEPGRAM, FIVE_MINUTES, 3, null, noKey,
            Engine.DEEPGRAM, List.of(Engine.PARAKEET, Engine.LOCAL), "not available now: no Deepgram key"),
        new Row("parakeet without GPU worker is tried, then falls back", EngineMode.PARAKEET, FIVE_MINUTES, 3, null,
            noGpu, Engine.PARAKEET, List.of(Engine.DEEPGRAM, Engine.LOCAL), "not available now: no GPU worker"),
        // priorities: 1-2 rank by speed, 3-5 by price
        new Row("busy GPU, priority 1: fastest", EngineMode.AUTO, FIVE_MINUTES, 1, null, busyGpu, Engine.DEEPGRAM,
            List.of(Engine.PARAKEET, Engine.LOCAL), "auto (high priority: fastest first): deepgram"),
        new Row("busy GPU, priority 2: fastest", EngineMode.AUTO, FIVE_MINUTES, 2, null, busyGpu, Engine.DEEPGRAM,
            List.of(Engine.PARAKEET, Engine.LOCAL), "fastest first"),
        new Row("busy GPU, priority 3: cheapest", EngineMode.AUTO, FIVE_MINUTES, 3, null, busyGpu, Engine.PARAKEET,
            List.of(Engine.DEEPGRAM, Engine.LOCAL), "auto: parakeet"),
        new Row("busy GPU, priority 5: cheapest", EngineMode.AUTO, FIVE_MINUTES, 5, null, busyGpu, Engine.PARAKEET,
            List.of(Engine.DEEPGRAM, Engine.LOCAL), "auto: parakeet"),
        // budgets (45 min: parakeet $0.0900, deepgram $0.1935, local $0.0108)
        new Row("budget above every estimate", EngineMode.AUTO, min45, 3, 1.0, noGpu, Engine.DEEPGRAM,
            List.of(Engine.LOCAL), "auto: deepgram"),
        new Row("budget excludes deepgram", EngineMode.AUTO, min45, 3, 0.10, noGpu, Engine.LOCAL, List.of(),
            "over the $0.1000 budget: deepgram $0.1935"),
        new Row("budget excludes deepgram as a fallback", EngineMode.AUTO, min45, 3, 0.10, all, Engine.PARAKEET,
            List.of(Engine.LOCAL), "over the $0.1000 budget: deepgram $0.1935"),
        new Row("requested deepgram over budget is replaced", EngineMode.DEEPGRAM, min45, 3, 0.10, all,
            Engine.PARAKEET, List.of(Engine.LOCAL),
            "requested deepgram replaced by auto: parakeet (requested deepgram is over the budget, $0.1935 > $0.1000"),
        new Row("budget fits nothing: the cheapest runs", EngineMode.AUTO, min45, 3, 0.001, all, Engine.LOCAL,
            List.of(), "no engine fits the budget of $0.0010, running the cheapest"),
        new Row("the smallest budget fits a zero-length job", EngineMode.AUTO, 0, 3, 0.0001, all, Engine.PARAKEET,
            List.of(Engine.DEEPGRAM, Engine.LOCAL), "auto: parakeet"),
        // hybrid: parakeet refined by deepgram, or honestly a single engine
        new Row("hybrid, all available", EngineMode.HYBRID, FIVE_MINUTES, 3, null, all, Engine.PARAKEET,
            List.of(Engine.DEEPGRAM, Engine.LOCAL),
            "requested hybrid: parakeet, then its low-confidence stretches re-transcribed by deepgram; est. $0.0100"
                + " (at most $0.0315 with every stretch refined), 15 s; then deepgram, local"),
        new Row("hybrid, no Deepgram key", EngineMode.HYBRID, FIVE_MINUTES, 3, null, noKey, Engine.PARAKEET,
            List.of(Engine.LOCAL), "hybrid not possible (no Deepgram key), a single engine instead: auto: parakeet"),
        new Row("hybrid, no GPU worker", EngineMode.HYBRID, FIVE_MINUTES, 3, null, noGpu, Engine.DEEPGRAM,
            List.of(Engine.LOCAL),
            "hybrid not possible (no GPU worker), a single engine instead: auto: deepgram (no GPU worker)"),
        new Row("hybrid, local only", EngineMode.HYBRID, FIVE_MINUTES, 3, null, localOnly, Engine.LOCAL, List.of(),
            "hybrid not possible (no GPU worker, no Deepgram key), a single engine instead: auto: local"),
        new Row("hybrid within budget", EngineMode.HYBRID, min45, 3, 0.30, all, Engine.PARAKEET,
            List.of(Engine.DEEPGRAM, Engine.LOCAL), "(at most $0.2835 with every stretch refined)"),
        new Row("hybrid's worst case over budget", EngineMode.HYBRID, min45, 3, 0.20, all, Engine.PARAKEET,
            List.of(Engine.DEEPGRAM, Engine.LOCAL),
            "hybrid not possible (parakeet plus deepgram on all of the audio, $0.2835, is over the $0.2000 budget),"
                + " a single engine instead: auto: parakeet"));
  }

  @Test
  void onlyAPossibleHybridHasARefiner() {
    for (Row row : table()) {
      RoutePlan plan = RoutePolicy.plan(row.mode(), row.audioSec(), row.priority(), row.budgetUsd(),
          new RouteFacts(row.facts()));
      boolean refined = row.mode() == EngineMode.HYBRID && row.reasonContains().startsWith("requested hybrid")
          || row.name().equals("hybrid within budget");
      assertThat(plan.refiner()).as(row.name() + "; " + plan.reason()).isEqualTo(refined ? Engine.DEEPGRAM : null);
    }
  }

  @Test
  void policyTable() {
    for (Row row : table()) {
      RoutePlan plan = RoutePolicy.plan(row.mode(), row.audioSec(), row.priority(), row.budgetUsd(),
          new RouteFacts(row.facts()));
      assertThat(plan.primary()).as(row.name() + ": primary; " + plan.reason()).isEqualTo(row.primary());
      assertThat(plan.fallbacks()).as(row.name() + ": fallbacks; " + plan.reason())
          .containsExactlyElementsOf(row.fallbacks());
      assertThat(plan.reason()).as(row.name() + ": reason").contains(row.reasonContains());
      assertThat(plan.estimates()).as(row.name() + ": one estimate per engine of the plan")
          .extracting(EngineEstimate::engine)
          .first()
          .isEqualTo(row.primary());
      assertThat(plan.estimates()).hasSize(1 + row.fallbacks().size());
      if (row.budgetUsd() != null && !plan.reason().contains("no engine fits")) {
        assertThat(plan.estimates()).as(row.name() + ": within budget")
            .allSatisfy(e -> assertThat(e.estimatedUsd()).isLessThanOrEqualTo(row.budgetUsd()));
      }
      // Deterministic: the same inputs give the same plan.
      assertThat(RoutePolicy.plan(row.mode(), row.audioSec(), row.priority(), row.budgetUsd(),
          new RouteFacts(row.facts()))).isEqualTo(plan);
    }
  }

  @Test
  void normalAndLowPrioritiesGiveTheSamePlan() {
    RouteFacts facts = facts(parakeet(false), deepgram(true), local(true));
    List<RoutePlan> plans = new ArrayList<>();
    for (int p = 3; p <= 5; p++) {
      plans.add(RoutePolicy.plan(EngineMode.AUTO, FIVE_MINUTES, p, null, facts));
    }
    assertThat(plans).allMatch(p -> p.equals(plans.get(0)));
  }

  @Test
  void rejectsInvalidInput() {
    RouteFacts facts = facts(local(true));
    assertThatThrownBy(() -> RoutePolicy.plan(EngineMode.AUTO, -1, 3, null, facts))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration");
    assertThatThrownBy(() -> RoutePolicy.plan(EngineMode.AUTO, Double.NaN, 3, null, facts))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoutePolicy.plan(EngineMode.AUTO, 10, 0, null, facts))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priority");
    assertThatThrownBy(() -> RoutePolicy.plan(EngineMode.AUTO, 10, 6, null, facts))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoutePolicy.plan(null, 10, 3, null, facts)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoutePolicy.plan(EngineMode.AUTO, 10, 3, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoutePolicy.plan(EngineMode.AUTO, 10, 3, -0.01, facts))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget");
    assertThatThrownBy(() -> RoutePolicy.plan(EngineMode.AUTO, 10, 3, Double.NaN, facts))
        .isInstanceOf(IllegalArgumentException.class);
    // the one budget rule (JobRequest.requireBudget): positive, as the REST API and the CLI always asked
    assertThatThrownBy(() -> RoutePolicy.plan(EngineMode.AUTO, 10, 3, 0.0, facts))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budgetUsd must be a positive number");
  }
}

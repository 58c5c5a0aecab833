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
            EngineMode.AUTO, FIVE_MINUTES, 3, facts(parakeet(false), deepgram(false), local(true)));

    assertThat(plan.primary()).isEqualTo(Engine.LOCAL);
    assertThat(plan.fallbacks()).isEmpty();
    assertThat(plan.reason()).isEqualTo("auto: local (no GPU worker, no Deepgram key); est. $0.0012, 9 s");
    assertThat(plan.estimates()).hasSize(1);
    assertEstimate(plan.estimates().get(0), Engine.LOCAL, 0.0012, 9.0);
  }

  @Test
  void autoPrefersParakeetThenDeepgramThenLocal() {
    RoutePlan plan =
        RoutePolicy.plan(EngineMode.AUTO, FIVE_MINUTES, 3, facts(local(true), deepgram(true), parakeet(true)));

    assertThat(plan.primary()).isEqualTo(Engine.PARAKEET);
    assertThat(plan.fallbacks()).containsExactly(Engine.DEEPGRAM, Engine.LOCAL);
    assertThat(plan.estimates()).extracting(EngineEstimate::engine)
        .containsExactly(Engine.PARAKEET, Engine.DEEPGRAM, Engine.LOCAL);
    assertThat(plan.reason()).isEqualTo("auto: parakeet (2 GPU pollers); est. $0.0100, 15 s; then deepgram, local");
  }

  @Test
  void autoPicksDeepgramWhenNoGpu() {
    RoutePlan plan =
        RoutePolicy.plan(EngineMode.AUTO, FIVE_MINUTES, 3, facts(parakeet(false), deepgram(true), local(true)));

    assertThat(plan.primary()).isEqualTo(Engine.DEEPGRAM);
    assertThat(plan.fallbacks()).containsExactly(Engine.LOCAL);
    assertThat(plan.reason()).isEqualTo("auto: deepgram (no GPU worker); est. $0.0215, 30 s; then local");
  }

  @Test
  void autoFallsBackToLocalAsLastResortWhenNothingIsAvailable() {
    RoutePlan plan =
        RoutePolicy.plan(EngineMode.AUTO, FIVE_MINUTES, 3, facts(parakeet(false), deepgram(false), local(false)));

    assertThat(plan.primary()).isEqualTo(Engine.LOCAL);
    assertThat(plan.fallbacks()).isEmpty();
    assertThat(plan.reason())
        .startsWith("auto: local (no GPU worker, no Deepgram key, local not reported available either")
        .contains("no vosk model");
  }

  @Test
  void autoWithParakeetAndLocalOnlySkipsDeepgramInFallbacks() {
    RoutePlan plan =
        RoutePolicy.plan(EngineMode.AUTO, FIVE_MINUTES, 3, facts(parakeet(true), deepgram(false), local(true)));

    assertThat(plan.primary()).isEqualTo(Engine.PARAKEET);
    assertThat(plan.fallbacks()).containsExactly(Engine.LOCAL);
  }

  @Test
  void namedEngineIsPrimaryEvenWhenUnavailable() {
    RoutePlan plan =
        RoutePolicy.plan(EngineMode.PARAKEET, FIVE_MINUTES, 3, facts(parakeet(false), deepgram(true), local(true)));

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
        RoutePolicy.plan(EngineMode.DEEPGRAM, FIVE_MINUTES, 3, facts(parakeet(true), deepgram(true), local(true)));

    assertThat(plan.primary()).isEqualTo(Engine.DEEPGRAM);
    // Other available engines in preference order, LOCAL last.
    assertThat(plan.fallbacks()).containsExactly(Engine.PARAKEET, Engine.LOCAL);
    assertThat(plan.reason()).isEqualTo("requested: deepgram; est. $0.0215, 30 s; then parakeet, local");
  }

  @Test
  void namedLocalNeverListsItselfAsFallback() {
    RoutePlan plan =
        RoutePolicy.plan(EngineMode.LOCAL, FIVE_MINUTES, 3, facts(parakeet(true), deepgram(false), local(true)));

    assertThat(plan.primary()).isEqualTo(Engine.LOCAL);
    assertThat(plan.fallbacks()).containsExactly(Engine.PARAKEET);
  }

  @Test
  void engineMissingFromFactsIsUnavailableAndHasNoEstimate() {
    RoutePlan auto = RoutePolicy.plan(EngineMode.AUTO, FIVE_MINUTES, 3, facts(local(true)));
    assertThat(auto.primary()).isEqualTo(Engine.LOCAL);
    assertThat(auto.reason()).startsWith("auto: local (parakeet not reported, deepgram not reported)");

    RoutePlan named = RoutePolicy.plan(EngineMode.PARAKEET, FIVE_MINUTES, 3, facts(local(true)));
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
        RoutePolicy.plan(EngineMode.AUTO, 2700, 3, facts(parakeet(true), deepgram(true), local(true)));

    assertThat(plan.estimates()).hasSize(3);
    assertEstimate(plan.estimates().get(0), Engine.PARAKEET, 0.09, 135);
    assertEstimate(plan.estimates().get(1), Engine.DEEPGRAM, 0.1935, 270);
    assertEstimate(plan.estimates().get(2), Engine.LOCAL, 0.0108, 81);
    RoutePlan empty = RoutePolicy.plan(EngineMode.AUTO, 0, 3, facts(local(true)));
    assertThat(empty.estimates()).containsExactly(new EngineEstimate(Engine.LOCAL, 0, 0));
  }

  @Test
  void samePlanForSameInputAndPriorityDoesNotChangeTheChoice() {
    RouteFacts facts = facts(parakeet(false), deepgram(true), local(true));
    List<RoutePlan> plans = new ArrayList<>();
    for (int p = 1; p <= 5; p++) {
      plans.add(RoutePolicy.plan(EngineMode.AUTO, FIVE_MINUTES, p, facts));
    }
    assertThat(plans).allMatch(p -> p.equals(plans.get(0)));
    assertThat(RoutePolicy.plan(EngineMode.AUTO, FIVE_MINUTES, 3, facts)).isEqualTo(plans.get(0));
  }

  @Test
  void rejectsInvalidInput() {
    RouteFacts facts = facts(local(true));
    assertThatThrownBy(() -> RoutePolicy.plan(EngineMode.AUTO, -1, 3, facts))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration");
    assertThatThrownBy(() -> RoutePolicy.plan(EngineMode.AUTO, Double.NaN, 3, facts))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoutePolicy.plan(EngineMode.AUTO, 10, 0, facts))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priority");
    assertThatThrownBy(() -> RoutePolicy.plan(EngineMode.AUTO, 10, 6, facts))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoutePolicy.plan(null, 10, 3, facts)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoutePolicy.plan(EngineMode.AUTO, 10, 3, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

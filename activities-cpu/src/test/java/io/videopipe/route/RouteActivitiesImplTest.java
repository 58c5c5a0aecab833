package io.videopipe.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.videopipe.cost.Prices;
import io.videopipe.transcribe.TranscriptionEngine.Availability;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteActivitiesImplTest {

  @Test
  void embeddedDefaultsOfferOnlyTheLocalEngineAndAutoPicksIt() {
    RouteActivitiesImpl route =
        new RouteActivitiesImpl(
            Map.of(Engine.LOCAL, () -> new Availability(true, "vosk model present")), Prices.defaults(), 2);

    RouteFacts facts = route.gatherFacts();

    assertThat(facts.available(Engine.LOCAL)).isTrue();
    assertThat(facts.available(Engine.PARAKEET)).isFalse();
    assertThat(facts.available(Engine.DEEPGRAM)).isFalse();
    assertThat(facts.option(Engine.DEEPGRAM).orElseThrow().detail()).contains("no worker");
    assertThat(RoutePolicy.plan(EngineMode.AUTO, 600, 3, null, facts).primary()).isEqualTo(Engine.LOCAL);
  }

  @Test
  void pricesEachEngineFromTheDatedPriceTable() {
    RouteActivitiesImpl route = new RouteActivitiesImpl(Map.of(), Prices.defaults(), 2);

    assertThat(route.usdPerAudioMinute(Engine.DEEPGRAM)).isEqualTo(0.0043);
    // 60 s x 0.04 CPU-s/s x $0.000018
    assertThat(route.usdPerAudioMinute(Engine.LOCAL)).isCloseTo(0.0000432, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(route.realTimeFactor(Engine.LOCAL)).isEqualTo(0.02);
    assertThat(route.usdPerAudioMinute(Engine.PARAKEET)).isLessThan(route.usdPerAudioMinute(Engine.DEEPGRAM));
  }
}

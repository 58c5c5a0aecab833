package io.videopipe.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.videopipe.route.Engine;
import io.videopipe.route.EngineMode;
import io.videopipe.route.RouteFacts;
import io.videopipe.route.RoutePolicy;
import io.videopipe.route.EngineOption;
import io.videopipe.transcribe.TranscriptionEngine.Availability;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ScaleFromZeroTest {

  static RouteFacts facts(Availability parakeet) {
    return new RouteFacts(
        List.of(
            new EngineOption(Engine.LOCAL, true, 0.00004, 0.02, "vosk"),
            new EngineOption(Engine.PARAKEET, parakeet.available(), 0.00002, 0.002, parakeet.detail()),
            new EngineOption(Engine.DEEPGRAM, false, 0.0043, 0.02, "no key")));
  }

  @Test
  void anIdlePoolThatScalesFromZeroStillTakesAutoJobs() {
    Supplier<Availability> noPollers = () -> new Availability(false, "no GPU worker polls 'video-gpu'");

    Availability a = CpuWorkerConfiguration.scaleFromZero(noPollers, Duration.ofMinutes(10)).get();

    assertThat(a.available()).isTrue();
    assertThat(a.detail()).contains("scales from zero", "no GPU worker polls", "PT10M");
    assertThat(RoutePolicy.plan(EngineMode.AUTO, 600, 3, null, facts(a)).primary()).isEqualTo(Engine.PARAKEET);
    // Without the setting the same idle pool is skipped, so its backlog never builds and it never wakes.
    assertThat(RoutePolicy.plan(EngineMode.AUTO, 600, 3, null, facts(noPollers.get())).primary()).isEqualTo(Engine.LOCAL);
  }

  @Test
  void pollersPresentAreReportedAsTheyAre() {
    Availability live = new Availability(true, "2 GPU poller(s) on 'video-gpu'");

    assertThat(CpuWorkerConfiguration.scaleFromZero(() -> live, Duration.ofMinutes(10)).get()).isEqualTo(live);
  }
}

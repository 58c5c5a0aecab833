package io.videopipe.route;

import io.videopipe.cost.Prices;
import io.videopipe.transcribe.TranscriptionEngine.Availability;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Gathers the facts {@link RoutePolicy} decides on: which engines can take work now, and what each costs per audio
 * minute and how fast it is.
 *
 * <p>Speed estimates (seconds of processing per second of audio): local Vosk 0.04 per core (measured: 321 s of speech
 * in 12.7 s on one core), Parakeet 0.002 on one L4 (published RTFx in the thousands; 500 assumed with I/O), Deepgram
 * 0.02 (hosted, upload included). Prices come from {@link Prices}, with their dates.
 */
public final class RouteActivitiesImpl implements RouteActivities {
  static final double LOCAL_CPU_SEC_PER_AUDIO_SEC = 0.04;
  static final double PARAKEET_GPU_SEC_PER_AUDIO_SEC = 0.002;
  static final double DEEPGRAM_SEC_PER_AUDIO_SEC = 0.02;

  private final Map<Engine, Supplier<Availability>> availability;
  private final Prices prices;
  private final int localThreads;

  /**
   * @param availability how to tell whether each engine can take work now; an engine without an entry is unavailable
   * @param localThreads cores the local engine uses in parallel (it finishes sooner, it costs the same)
   */
  public RouteActivitiesImpl(Map<Engine, Supplier<Availability>> availability, Prices prices, int localThreads) {
    this.availability = new EnumMap<>(Engine.class);
    this.availability.putAll(availability);
    this.prices = prices;
    this.localThreads = Math.max(1, localThreads);
  }

  @Override
  public RouteFacts gatherFacts() {
    List<EngineOption> options = new ArrayList<>();
    for (Engine engine : Engine.values()) {
      Supplier<Availability> check = availability.get(engine);
      Availability a = check == null ? new Availability(false, "no worker is configured for it") : check.get();
      options.add(
          new EngineOption(engine, a.available(), usdPerAudioMinute(engine), realTimeFactor(engine), a.detail()));
    }
    return new RouteFacts(options);
  }

  double usdPerAudioMinute(Engine engine) {
    return switch (engine) {
      case LOCAL -> 60 * LOCAL_CPU_SEC_PER_AUDIO_SEC * prices.cpuVcpuSecond().usd();
      case PARAKEET -> 60 * PARAKEET_GPU_SEC_PER_AUDIO_SEC * prices.gpuSecond().usd();
      case DEEPGRAM -> prices.deepgramAudioMinute().usd();
    };
  }

  double realTimeFactor(Engine engine) {
    return switch (engine) {
      case LOCAL -> LOCAL_CPU_SEC_PER_AUDIO_SEC / localThreads;
      case PARAKEET -> PARAKEET_GPU_SEC_PER_AUDIO_SEC;
      case DEEPGRAM -> DEEPGRAM_SEC_PER_AUDIO_SEC;
    };
  }
}

package io.videopipe.route;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a job asks for: one engine, AUTO to let {@link RoutePolicy} choose, or HYBRID: PARAKEET first, then the stretches
 * it recognised with low confidence re-transcribed by DEEPGRAM and merged.
 */
public enum EngineMode {
  AUTO,
  LOCAL,
  PARAKEET,
  DEEPGRAM,
  HYBRID;

  public static EngineMode parse(String value) {
    if (value == null || value.isBlank()) {
      return AUTO;
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown engine '" + value + "'; expected one of "
              + Arrays.stream(values()).map(m -> m.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
  }
}

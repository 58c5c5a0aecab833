package io.videopipe.route;

import java.util.List;
import java.util.Optional;

/** Facts gathered by {@link RouteActivities} for {@link RoutePolicy}: one option per engine. */
public record RouteFacts(List<EngineOption> options) {
  public Optional<EngineOption> option(Engine engine) {
    return options.stream().filter(o -> o.engine() == engine).findFirst();
  }

  public boolean available(Engine engine) {
    return option(engine).map(EngineOption::available).orElse(false);
  }
}

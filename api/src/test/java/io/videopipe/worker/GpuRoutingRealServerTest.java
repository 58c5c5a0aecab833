package io.videopipe.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.videopipe.cost.Prices;
import io.videopipe.realserver.TemporalCliServer;
import io.videopipe.route.Engine;
import io.videopipe.route.EngineMode;
import io.videopipe.route.RouteActivitiesImpl;
import io.videopipe.route.RoutePlan;
import io.videopipe.route.RoutePolicy;
import io.videopipe.storage.LocalStorage;
import io.videopipe.transcribe.TranscribeActivitiesImpl;
import io.videopipe.transcribe.TranscriptStore;
import io.videopipe.transcribe.TranscriptionEngine.Availability;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Routing by DescribeTaskQueue on a real server: a job goes to Parakeet while a GPU worker polls the GPU queue, and
 * to the local engine, with the reason, when none does. The GPU worker is a real worker with our transcription
 * activity registered on the queue (its engines do not matter to the router, only its polls).
 */
class GpuRoutingRealServerTest {
  @RegisterExtension static final TemporalCliServer TEMPORAL = new TemporalCliServer();
  static final String GPU_QUEUE = "gpu-routing-real";

  GpuPollers pollers() {
    return new GpuPollers(() -> TEMPORAL.stubs().blockingStub(), TEMPORAL.namespace(), GPU_QUEUE, Clock.systemUTC());
  }

  RoutePlan route(GpuPollers gpu) {
    RouteActivitiesImpl route = new RouteActivitiesImpl(
        Map.of(Engine.LOCAL, () -> new Availability(true, "Vosk on this worker"), Engine.PARAKEET, gpu),
        Prices.defaults(), 2);
    return RoutePolicy.plan(EngineMode.AUTO, 600, 3, route.gatherFacts());
  }

  @Test
  void parakeetWhileAGpuWorkerPollsLocalWithTheReasonWhenNone() throws Exception {
    GpuPollers gpu = pollers();
    Availability none = gpu.get();
    assertThat(none.available()).isFalse();
    assertThat(none.detail()).startsWith("no GPU worker polls '" + GPU_QUEUE + "'");
    RoutePlan withoutGpu = route(gpu);
    assertThat(withoutGpu.primary()).isEqualTo(Engine.LOCAL);
    assertThat(withoutGpu.reason()).containsIgnoringCase("parakeet");

    WorkerFactory factory = WorkerFactory.newInstance(TEMPORAL.client());
    try {
      Worker worker = factory.newWorker(GPU_QUEUE);
      LocalStorage storage = new LocalStorage(Files.createDirectories(TEMPORAL.dir().resolve("gpu-store")));
      worker.registerActivitiesImplementations(
          new TranscribeActivitiesImpl(storage, new TranscriptStore(storage), Map.of()));
      factory.start();

      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      Availability polling = gpu.get();
      while (!polling.available() && System.nanoTime() < deadline) {
        Thread.sleep(250);
        polling = gpu.get();
      }
      assertThat(polling.available()).as(polling.detail()).isTrue();
      assertThat(polling.detail()).isEqualTo("1 GPU poller(s) on '" + GPU_QUEUE + "'");
      RoutePlan withGpu = route(gpu);
      assertThat(withGpu.primary()).as(withGpu.reason()).isEqualTo(Engine.PARAKEET);
    } finally {
      factory.shutdownNow();
    }
  }
}

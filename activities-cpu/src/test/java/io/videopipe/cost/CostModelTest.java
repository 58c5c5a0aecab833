package io.videopipe.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.videopipe.pipeline.Step;
import io.videopipe.pipeline.StepTiming;
import io.videopipe.route.Engine;
import io.videopipe.route.EngineOption;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostModelTest {
  static final long HALF_GB = 1L << 29; // 0.5 x 2^30 bytes

  /** Every kind of attempt once: compute-reported, wall-only, failed GPU, Deepgram, local. */
  static CostRequest request() {
    return new CostRequest(
        "job-c",
        List.of(
            new StepTiming(Step.DOWNLOAD, "video-cpu", 10, 4, null, true),
            new StepTiming(Step.EXTRACT_AUDIO, "video-cpu", 3, 0, null, true),
            new StepTiming(Step.TRANSCRIBE, "video-gpu", 20, 0, "parakeet", false),
            new StepTiming(Step.TRANSCRIBE, "video-cpu", 15, 12, "deepgram", true),
            new StepTiming(Step.TRANSCRIBE, "video-cpu", 110, 100, "LOCAL", true)),
        600,
        HALF_GB,
        List.of());
  }

  @Test
  void pricesEveryAttemptExactly() {
    List<CostLine> lines = new CostModel(Prices.defaults(), CostModel.Assumptions.defaults()).lines(request());

    assertThat(lines)
        .extracting(CostLine::step, CostLine::resource, CostLine::quantity, CostLine::unitPriceUsd)
        .containsExactly(
            // compute seconds x 1 vCPU, x 2 GiB
            tuple("DOWNLOAD", "cpu-seconds", 4.0, 0.000018),
            tuple("DOWNLOAD", "memory-gib-seconds", 8.0, 0.000002),
            // no compute seconds reported: wall seconds
            tuple("EXTRACT_AUDIO", "cpu-seconds", 3.0, 0.000018),
            tuple("EXTRACT_AUDIO", "memory-gib-seconds", 6.0, 0.000002),
            // a failed GPU attempt: 1 GPU plus its 4 vCPU / 16 GiB host
            tuple("TRANSCRIBE/parakeet (failed)", "gpu-seconds", 20.0, 0.0001867),
            tuple("TRANSCRIBE/parakeet (failed)", "cpu-seconds", 80.0, 0.000018),
            tuple("TRANSCRIBE/parakeet (failed)", "memory-gib-seconds", 320.0, 0.000002),
            // Deepgram: the waiting worker plus 10 audio minutes
            tuple("TRANSCRIBE/deepgram", "cpu-seconds", 12.0, 0.000018),
            tuple("TRANSCRIBE/deepgram", "memory-gib-seconds", 24.0, 0.000002),
            tuple("TRANSCRIBE/deepgram", "deepgram-audio-minutes", 10.0, 0.0043),
            // Vosk on 2 threads
            tuple("TRANSCRIBE/local", "cpu-seconds", 200.0, 0.000018),
            tuple("TRANSCRIBE/local", "memory-gib-seconds", 200.0, 0.000002),
            tuple("STORAGE", "storage-gb-months", 0.5, 0.02),
            tuple("DELIVERY", "egress-gb", 0.5, 0.12));
    assertThat(lines).allSatisfy(l -> assertThat(l.usd()).isEqualTo(l.quantity() * l.unitPriceUsd()));
    assertThat(lines).allSatisfy(l -> assertThat(l.priceDate()).matches("\\d{4}-\\d{2}"));
    assertThat(lines).allSatisfy(l -> assertThat(l.priceSource()).isNotBlank());

    // 0.000072 + 0.000016 + 0.000054 + 0.000012 + 0.003734 + 0.00144 + 0.00064 + 0.000216 + 0.000048 + 0.043
    //   + 0.0036 + 0.0004 + 0.01 + 0.06
    assertThat(CostModel.total(lines)).isCloseTo(0.123232, within(1e-12));
    assertThat(CostModel.display(CostModel.total(lines))).isEqualTo("$0.1232");
  }

  @Test
  void pricesAndAssumptionsAreConfigurable() {
    Prices prices = Prices.defaults().withDeepgramAudioMinute(Prices.DEEPGRAM_NOVA3_2026_08);
    CostModel.Assumptions fourThreads = new CostModel.Assumptions(1, 2, 4, 4, 16, 1, 0, 2);
    List<CostLine> lines = new CostModel(prices, fourThreads).lines(request());

    assertThat(lines)
        .filteredOn(l -> l.resource().equals("deepgram-audio-minutes"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.usd()).isCloseTo(0.077, within(1e-12));
              assertThat(l.priceDate()).isEqualTo("2026-08");
            });
    assertThat(lines)
        .filteredOn(l -> l.step().equals("TRANSCRIBE/local") && l.resource().equals("cpu-seconds"))
        .singleElement()
        .extracting(CostLine::quantity)
        .isEqualTo(400.0);
    // no deliveries assumed: no egress line
    assertThat(lines).extracting(CostLine::resource).doesNotContain("egress-gb");
  }

  @Test
  void anUnnamedEngineOnTheGpuQueueIsPricedAsGpu() {
    CostRequest r =
        new CostRequest("j", List.of(new StepTiming(Step.TRANSCRIBE, "video-gpu", 5, 0, null, true)), 60, 0, List.of());

    assertThat(new CostModel(Prices.defaults(), CostModel.Assumptions.defaults()).lines(r))
        .extracting(CostLine::resource)
        .containsExactly("gpu-seconds", "cpu-seconds", "memory-gib-seconds");
  }

  @Test
  void hybridRefinementPaysDeepgramOnlyForTheSecondsItSent() {
    List<CostLine> lines =
        new CostModel(Prices.defaults(), CostModel.Assumptions.defaults())
            .lines(
                new CostRequest(
                    "j",
                    List.of(
                        new StepTiming(Step.TRANSCRIBE, "video-gpu", 20, 15, "parakeet", true),
                        new StepTiming(Step.REFINE, "video-cpu", 4, 3, "deepgram", true, 90.0)),
                    600,
                    0,
                    List.of()));

    assertThat(lines)
        .filteredOn(l -> l.resource().equals("deepgram-audio-minutes"))
        .extracting(CostLine::step, CostLine::quantity)
        .containsExactly(tuple("REFINE/deepgram", 1.5));
  }

  @Test
  void emptyRequestCostsNothing() {
    List<CostLine> lines = new CostModel(Prices.defaults(), CostModel.Assumptions.defaults()).lines(new CostRequest("j", List.of(), 0, 0, List.of()));

    assertThat(lines).isEmpty();
    assertThat(CostModel.total(lines)).isZero();
  }

  @Test
  void aTypical45MinuteLocalJobStaysFarUnderTheFourDollarTarget() {
    // 45 min of audio; Vosk at 0.5x real time on 2 threads; 2.7 GB source kept a month and delivered once
    double audio = 45 * 60;
    CostRequest r =
        new CostRequest(
            "j",
            List.of(
                new StepTiming(Step.DOWNLOAD, "video-cpu", 60, 50, null, true),
                new StepTiming(Step.EXTRACT_AUDIO, "video-cpu", 10, 8, null, true),
                new StepTiming(Step.TRANSCRIBE, "video-cpu", audio * 0.5, audio * 0.5, "local", true),
                new StepTiming(Step.HIGHLIGHT, "video-cpu", 6, 5, null, true),
                new StepTiming(Step.QA, "video-cpu", 6, 5, null, true),
                new StepTiming(Step.COST, "video-cpu", 1, 0.1, null, true)),
            audio,
            2_700_000_000L,
            List.of());

    assertThat(CostModel.total(new CostModel(Prices.defaults(), CostModel.Assumptions.defaults()).lines(r))).isLessThan(4.00);
  }

  @Test
  void renderingIsPricedAtTheRenderVcpus() {
    List<CostLine> lines =
        new CostModel(Prices.defaults(), CostModel.Assumptions.defaults())
            .lines(new CostRequest("j", List.of(new StepTiming(Step.RENDER, "video-cpu", 12, 10, null, true)), 60, 0,
                List.of()));

    assertThat(lines)
        .extracting(CostLine::step, CostLine::resource, CostLine::quantity)
        .containsExactly(tuple("RENDER", "cpu-seconds", 20.0), tuple("RENDER", "memory-gib-seconds", 20.0));
  }

  @Test
  void alternativesKeepTheMeasuredEngineAndEstimateTheOthers() {
    // 10 min of audio transcribed locally in 100 s of compute; Parakeet and Deepgram estimated from route facts
    List<EngineOption> engines =
        List.of(
            new EngineOption(Engine.LOCAL, true, 0, 0.02, "bundled model"),
            new EngineOption(Engine.PARAKEET, false, 0, 0.002, "no GPU worker polling"),
            new EngineOption(Engine.DEEPGRAM, true, 0, 0.02, "api key configured"));
    CostRequest r =
        new CostRequest(
            "j",
            List.of(
                new StepTiming(Step.EXTRACT_AUDIO, "video-cpu", 3, 2, null, true),
                new StepTiming(Step.TRANSCRIBE, "video-cpu", 110, 100, "local", true)),
            600,
            0,
            engines);
    CostModel model = new CostModel(Prices.defaults(), CostModel.Assumptions.defaults());
    List<CostLine> lines = model.lines(r);

    List<EngineCost> alternatives = model.alternatives(r, lines);

    // non-transcription: extraction 2 s x (1 vCPU x 0.000018 + 2 GiB x 0.000002) = 0.000044
    double other = 2 * (0.000018 + 2 * 0.000002);
    // local, measured: 100 s x (2 vCPU x 0.000018 + 2 GiB x 0.000002) = 0.0040
    double local = 100 * (2 * 0.000018 + 2 * 0.000002);
    // parakeet, estimated: 600 x 0.002 = 1.2 s x (0.0001867 GPU + 4 vCPU x 0.000018 + 16 GiB x 0.000002)
    double parakeet = 1.2 * (0.0001867 + 4 * 0.000018 + 16 * 0.000002);
    // deepgram, estimated: 10 audio minutes x 0.0043 + 12 s of waiting x (1 vCPU + 2 GiB)
    double deepgram = 10 * 0.0043 + 12 * (0.000018 + 2 * 0.000002);
    assertThat(alternatives)
        .extracting(EngineCost::engine, EngineCost::actual)
        .containsExactly(tuple(Engine.LOCAL, true), tuple(Engine.PARAKEET, false), tuple(Engine.DEEPGRAM, false));
    assertThat(alternatives.get(0).transcribeUsd()).isCloseTo(local, within(1e-12));
    assertThat(alternatives.get(0).totalUsd()).isCloseTo(CostModel.total(lines), within(1e-12));
    assertThat(alternatives.get(0).basis()).isEqualTo("measured");
    assertThat(alternatives.get(1).transcribeUsd()).isCloseTo(parakeet, within(1e-12));
    assertThat(alternatives.get(1).totalUsd()).isCloseTo(other + parakeet, within(1e-12));
    assertThat(alternatives.get(1).basis()).contains("0.0020 s of processing per audio second", "no GPU worker polling");
    assertThat(alternatives.get(2).transcribeUsd()).isCloseTo(deepgram, within(1e-12));
    assertThat(alternatives.get(2).totalUsd()).isCloseTo(other + deepgram, within(1e-12));
  }

  @Test
  void failedAttemptsStayInTheMeasuredEnginesFigure() {
    List<EngineOption> engines =
        List.of(new EngineOption(Engine.PARAKEET, true, 0, 0.002, ""), new EngineOption(Engine.LOCAL, true, 0, 0.02, ""));
    CostRequest r = request();
    CostRequest withEngines = new CostRequest(r.jobId(), r.steps(), r.audioSec(), r.storedBytes(), engines);
    CostModel model = new CostModel(Prices.defaults(), CostModel.Assumptions.defaults());
    List<CostLine> lines = model.lines(withEngines);

    List<EngineCost> alternatives = model.alternatives(withEngines, lines);

    // the last successful attempt was local; the failed parakeet and the deepgram attempts are part of its cost
    double transcribe =
        lines.stream().filter(l -> l.step().startsWith("TRANSCRIBE")).mapToDouble(CostLine::usd).sum();
    assertThat(alternatives.get(1).actual()).isTrue();
    assertThat(alternatives.get(1).transcribeUsd()).isCloseTo(transcribe, within(1e-12));
    assertThat(alternatives.get(0).actual()).isFalse();
  }
}

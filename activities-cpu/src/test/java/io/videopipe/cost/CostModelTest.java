package io.videopipe.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.videopipe.pipeline.Step;
import io.videopipe.pipeline.StepTiming;
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
        HALF_GB);
  }

  @Test
  void pricesEveryAttemptExactly() {
    List<CostLine> lines = new CostModel().lines(request());

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
    CostModel.Assumptions fourThreads = new CostModel.Assumptions(1, 2, 4, 4, 16, 1, 0);
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
        new CostRequest("j", List.of(new StepTiming(Step.TRANSCRIBE, "video-gpu", 5, 0, null, true)), 60, 0);

    assertThat(new CostModel().lines(r))
        .extracting(CostLine::resource)
        .containsExactly("gpu-seconds", "cpu-seconds", "memory-gib-seconds");
  }

  @Test
  void hybridRefinementPaysDeepgramOnlyForTheSecondsItSent() {
    List<CostLine> lines =
        new CostModel()
            .lines(
                new CostRequest(
                    "j",
                    List.of(
                        new StepTiming(Step.TRANSCRIBE, "video-gpu", 20, 15, "parakeet", true),
                        new StepTiming(Step.REFINE, "video-cpu", 4, 3, "deepgram", true, 90.0)),
                    600,
                    0));

    assertThat(lines)
        .filteredOn(l -> l.resource().equals("deepgram-audio-minutes"))
        .extracting(CostLine::step, CostLine::quantity)
        .containsExactly(tuple("REFINE/deepgram", 1.5));
  }

  @Test
  void emptyRequestCostsNothing() {
    List<CostLine> lines = new CostModel().lines(new CostRequest("j", List.of(), 0, 0));

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
            2_700_000_000L);

    assertThat(CostModel.total(new CostModel().lines(r))).isLessThan(4.00);
  }
}

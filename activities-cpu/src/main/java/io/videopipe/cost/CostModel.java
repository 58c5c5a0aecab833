package io.videopipe.cost;

import io.videopipe.pipeline.Step;
import io.videopipe.pipeline.StepTiming;
import io.videopipe.route.Engine;
import io.videopipe.route.EngineOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns what a job used into priced lines. Pure: no I/O, no clock.
 *
 * <p>Per step attempt (failed ones too: they used the machine all the same), with {@code s} = the activity's reported
 * compute seconds, or the workflow's wall seconds when it reported none:
 *
 * <ul>
 *   <li>RENDER: as a CPU step but with {@link Assumptions#renderVcpus()} (x264 keeps every core busy);
 *   <li>a CPU step: {@code cpu-seconds} = s x {@link Assumptions#cpuStepVcpus()} (1 vCPU: the FFmpeg and JSON work is
 *       single-threaded) and {@code memory-gib-seconds} = s x {@link Assumptions#cpuStepMemoryGib()};
 *   <li>TRANSCRIBE on LOCAL (Vosk): {@code cpu-seconds} = s x {@link Assumptions#localTranscribeVcpus()} (the worker's
 *       configured recogniser threads) plus memory as above;
 *   <li>TRANSCRIBE on a GPU engine (PARAKEET): {@code gpu-seconds} = s x 1 GPU, plus the GPU host's {@code
 *       cpu-seconds} (s x {@link Assumptions#gpuHostVcpus()}, Cloud Run needs 4 vCPU with an L4) and memory (s x
 *       {@link Assumptions#gpuHostMemoryGib()}), which Cloud Run bills alongside the GPU;
 *   <li>TRANSCRIBE on DEEPGRAM: {@code deepgram-audio-minutes} = audioSec / 60 per attempt, plus the CPU and memory of the
 *       worker waiting for the answer;
 *   <li>REFINE (HYBRID) on DEEPGRAM: as above for the seconds of audio the step sent ({@link StepTiming#audioSec()}).
 * </ul>
 *
 * Per job: {@code storage-gb-months} = storedBytes / 2^30 x {@link Assumptions#storageMonths()} (one month) and
 * {@code egress-gb} = storedBytes / 2^30 x {@link Assumptions#deliveries()} (every kept artifact downloaded once).
 *
 * <p>Lines whose quantity is 0 are left out. Amounts are not rounded; round only to display.
 *
 * <p>{@link #alternatives} prices the same job on every engine: the engine that transcribed it keeps its measured
 * TRANSCRIBE and REFINE lines (failed attempts included); any other engine is priced by the same rules as one
 * successful attempt lasting {@code audioSec x} its real-time factor from the route facts. Every other step costs what
 * it did.
 */
public final class CostModel {
  private static final double GB = 1024.0 * 1024 * 1024;

  /**
   * How resource use is attributed to a job.
   *
   * @param cpuStepVcpus vCPUs a CPU-queue activity keeps busy
   * @param cpuStepMemoryGib memory a CPU-queue activity holds
   * @param localTranscribeVcpus vCPUs local (Vosk) transcription keeps busy: the configured recogniser threads
   * @param gpuHostVcpus vCPUs of the instance that carries the GPU
   * @param gpuHostMemoryGib memory of the instance that carries the GPU
   * @param storageMonths months the kept artifacts are stored
   * @param deliveries how many times the kept artifacts are downloaded over the internet
   * @param renderVcpus vCPUs a RenderClip activity keeps busy
   */
  public record Assumptions(
      double cpuStepVcpus,
      double cpuStepMemoryGib,
      double localTranscribeVcpus,
      double gpuHostVcpus,
      double gpuHostMemoryGib,
      double storageMonths,
      double deliveries,
      double renderVcpus) {
    public Assumptions {
      if (cpuStepVcpus < 0 || cpuStepMemoryGib < 0 || localTranscribeVcpus < 0 || gpuHostVcpus < 0
          || gpuHostMemoryGib < 0 || storageMonths < 0 || deliveries < 0 || renderVcpus < 0) {
        throw new IllegalArgumentException("cost assumptions must not be negative");
      }
    }

    public static Assumptions defaults() {
      return new Assumptions(1, 2, 2, 4, 16, 1, 1, 2);
    }
  }

  private final Prices prices;
  private final Assumptions assumptions;

  public CostModel(Prices prices, Assumptions assumptions) {
    this.prices = prices;
    this.assumptions = assumptions;
  }

  public Prices prices() {
    return prices;
  }

  public Assumptions assumptions() {
    return assumptions;
  }

  public List<CostLine> lines(CostRequest request) {
    List<CostLine> lines = new ArrayList<>();
    for (StepTiming t : request.steps()) {
      if (t == null || t.step() == null) {
        continue;
      }
      stepLines(lines, t, request.audioSec());
    }
    double gb = Math.max(0, request.storedBytes()) / GB;
    add(lines, "STORAGE", "storage-gb-months", gb * assumptions.storageMonths(), prices.storageGbMonth());
    add(lines, "DELIVERY", "egress-gb", gb * assumptions.deliveries(), prices.egressGb());
    return List.copyOf(lines);
  }

  /**
   * The job priced on each engine of {@code request.engines()}, in that order, given its priced {@code lines}. An
   * engine the job did not use is estimated; the one that transcribed it is measured.
   */
  public List<EngineCost> alternatives(CostRequest request, List<CostLine> lines) {
    double transcribeUsd = 0;
    for (CostLine l : lines) {
      if (isTranscription(l.step())) {
        transcribeUsd += l.usd();
      }
    }
    double otherUsd = total(lines) - transcribeUsd;
    Engine used = null;
    for (StepTiming t : request.steps()) {
      if (t != null && t.step() == Step.TRANSCRIBE && t.succeeded()) {
        used = engine(t);
      }
    }
    List<EngineCost> out = new ArrayList<>();
    for (EngineOption option : request.engines()) {
      if (option.engine() == used) {
        out.add(new EngineCost(used, transcribeUsd, otherUsd + transcribeUsd, true, "measured"));
        continue;
      }
      double sec = Math.max(0, request.audioSec()) * option.realTimeFactor();
      List<CostLine> estimate = new ArrayList<>();
      stepLines(
          estimate,
          new StepTiming(Step.TRANSCRIBE, option.engine().gpu ? "gpu" : "cpu", sec, sec, option.engine().name(), true),
          request.audioSec());
      double usd = total(estimate);
      out.add(
          new EngineCost(
              option.engine(),
              usd,
              otherUsd + usd,
              false,
              String.format(
                  Locale.ROOT, "estimated: %.4f s of processing per audio second%s", option.realTimeFactor(),
                  option.available() ? "" : " (not available to this job: " + option.detail() + ")")));
    }
    return List.copyOf(out);
  }

  private static boolean isTranscription(String label) {
    return label.startsWith(Step.TRANSCRIBE.name()) || label.startsWith(Step.REFINE.name());
  }

  private void stepLines(List<CostLine> lines, StepTiming t, double jobAudioSec) {
    double sec = Math.max(0, t.computeSec() > 0 ? t.computeSec() : t.wallSec());
    String label = label(t);
    Engine engine = t.step() == Step.TRANSCRIBE || t.step() == Step.REFINE ? engine(t) : null;
    if (engine != null && engine.gpu) {
      add(lines, label, "gpu-seconds", sec, prices.gpuSecond());
      add(lines, label, "cpu-seconds", sec * assumptions.gpuHostVcpus(), prices.cpuVcpuSecond());
      add(lines, label, "memory-gib-seconds", sec * assumptions.gpuHostMemoryGib(), prices.memoryGibSecond());
      return;
    }
    double vcpus =
        engine == Engine.LOCAL
            ? assumptions.localTranscribeVcpus()
            : t.step() == Step.RENDER ? assumptions.renderVcpus() : assumptions.cpuStepVcpus();
    add(lines, label, "cpu-seconds", sec * vcpus, prices.cpuVcpuSecond());
    add(lines, label, "memory-gib-seconds", sec * assumptions.cpuStepMemoryGib(), prices.memoryGibSecond());
    if (engine == Engine.DEEPGRAM) {
      double audioSec = t.audioSec() != null ? t.audioSec() : jobAudioSec;
      add(lines, label, "deepgram-audio-minutes", Math.max(0, audioSec) / 60.0, prices.deepgramAudioMinute());
    }
  }

  /** Sum of the lines, unrounded. */
  public static double total(List<CostLine> lines) {
    double sum = 0;
    for (CostLine l : lines) {
      sum += l.usd();
    }
    return sum;
  }

  /** Dollars for people: 4 decimals, enough to tell jobs apart at sub-cent costs. */
  public static String display(double usd) {
    return String.format(Locale.ROOT, "$%.4f", usd);
  }

  private static void add(List<CostLine> lines, String step, String resource, double quantity, Prices.Price price) {
    if (quantity > 0) {
      lines.add(new CostLine(step, resource, quantity, price.usd(), price.date(), price.source(), quantity * price.usd()));
    }
  }

  /** e.g. "EXTRACT_AUDIO", "TRANSCRIBE/deepgram (failed)". */
  static String label(StepTiming t) {
    StringBuilder sb = new StringBuilder(t.step().name());
    if (t.engine() != null && !t.engine().isBlank()) {
      sb.append('/').append(t.engine().toLowerCase(Locale.ROOT));
    }
    if (!t.succeeded()) {
      sb.append(" (failed)");
    }
    return sb.toString();
  }

  /** The attempt's engine; an unnamed or unknown one on a GPU queue counts as the GPU engine. */
  private static Engine engine(StepTiming t) {
    if (t.engine() != null) {
      try {
        return Engine.valueOf(t.engine().trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        // fall through to the queue
      }
    }
    return t.queue() != null && t.queue().toLowerCase(Locale.ROOT).contains("gpu") ? Engine.PARAKEET : null;
  }
}

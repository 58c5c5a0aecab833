package io.videopipe.bench.parakeet;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.videopipe.audio.AudioExtractor;
import io.videopipe.bench.MachineInfo;
import io.videopipe.bench.parakeet.EquivalentParakeet.Precision;
import io.videopipe.parakeet.ParakeetEngine;
import io.videopipe.parakeet.ParakeetModel;
import io.videopipe.parakeet.Pcm16Wav;
import io.videopipe.parakeet.SileroVad;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code bench-parakeet <modelDir|equivalent|equivalent-int8> <audio> [--cpu] [--int8] [--batch N | --batches 1,4,8,16]
 * [--max-segment SEC] [--runs N] [--parallel N | --jobs 2,4,8] [--threads N] [--json FILE] [--note TEXT]}: the time of each
 * Parakeet stage (audio decode, VAD, frontend, encoder, TDT decoding, whole transcription) as RTFx (audio seconds per
 * wall second), per encoder batch size, averaged over the runs after a warm-up, on CUDA when available; then N
 * transcriptions of the audio at once on one engine, whose segments share encoder batches.
 *
 * <p>{@code equivalent} (or {@code equivalent-int8}) is the compute-equivalent Parakeet-TDT-0.6B with random weights
 * ({@link EquivalentParakeet}), generated once into {@code ~/.cache/videopipe/parakeet-equivalent/}: its figures are
 * speed, not accuracy.
 */
public final class ParakeetStageBench {
  static final String USAGE =
      "usage: videopipe.jar bench-parakeet <modelDir|equivalent|equivalent-int8> <audio (a 16 kHz mono s16le WAV, or"
          + " any media file)> [--cpu] [--int8] [--batch N | --batches 1,4,8,16] [--max-segment SEC] [--runs N]"
          + " [--parallel N | --jobs 2,4,8] [--threads N] [--json FILE] [--note TEXT]";
  static final String EQUIVALENT_NOTE =
      "compute-equivalent Parakeet-TDT-0.6B with RANDOM weights: these figures measure speed, not accuracy";

  /** Parsed command line. */
  record Options(
      String model,
      Path audio,
      boolean cuda,
      boolean int8,
      List<Integer> batches,
      double maxSegment,
      int runs,
      List<Integer> jobs,
      int threads,
      Path json,
      List<String> notes) {

    static Options parse(String[] args) {
      if (args.length < 2) {
        throw new IllegalArgumentException("needs a model directory and an audio file");
      }
      boolean cuda = true;
      boolean int8 = false;
      List<Integer> batches = List.of(8);
      double maxSegment = 20;
      int runs = 3;
      List<Integer> jobs = List.of();
      int threads = 0;
      Path json = null;
      List<String> notes = new ArrayList<>();
      for (int i = 2; i < args.length; i++) {
        String a = args[i];
        try {
          switch (a) {
            case "--cpu" -> cuda = false;
            case "--int8" -> int8 = true;
            case "--batch" -> batches = List.of(positive(a, args[++i]));
            case "--batches" -> batches = list(a, args[++i]);
            case "--max-segment" -> maxSegment = Double.parseDouble(args[++i]);
            case "--runs" -> runs = positive(a, args[++i]);
            case "--parallel" -> jobs = List.of(positive(a, args[++i]));
            case "--jobs" -> jobs = list(a, args[++i]);
            case "--threads" -> threads = positive(a, args[++i]);
            case "--json" -> json = Path.of(args[++i]);
            case "--note" -> notes.add(args[++i]);
            default -> throw new IllegalArgumentException("unknown option " + a);
          }
        } catch (ArrayIndexOutOfBoundsException e) {
          throw new IllegalArgumentException(a + " needs a value");
        }
      }
      if (args[0].equals("equivalent-int8")) {
        int8 = true;
      }
      return new Options(
          args[0], Path.of(args[1]), cuda, int8, batches, maxSegment, runs, jobs, threads, json, List.copyOf(notes));
    }

    boolean equivalent() {
      return model.equals("equivalent") || model.equals("equivalent-int8");
    }

    private static List<Integer> list(String option, String value) {
      return Arrays.stream(value.split(",")).map(v -> positive(option, v.trim())).toList();
    }

    private static int positive(String option, String value) {
      try {
        int n = Integer.parseInt(value);
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(option + " needs positive whole numbers, got '" + value + "'");
    }
  }

  private ParakeetStageBench() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("bench-parakeet: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    try {
      Map<String, Object> report = run(o, out, err);
      if (o.json() != null) {
        Path json = o.json().toAbsolutePath();
        if (json.getParent() != null) {
          Files.createDirectories(json.getParent());
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        out.println("figures written to " + json);
      }
      return 0;
    } catch (Exception e) {
      err.println("bench-parakeet: " + e.getMessage());
      return 1;
    }
  }

  static Map<String, Object> run(Options o, PrintStream out, PrintStream err) throws Exception {
    Path modelDir =
        o.equivalent()
            ? EquivalentCommand.ensure(
                EquivalentParakeet.defaultCache(o.int8() ? Precision.INT8 : Precision.FP32),
                o.int8() ? Precision.INT8 : Precision.FP32, false, err)
            : Path.of(o.model());
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("command", "bench-parakeet");
    report.put("at", Instant.now().toString());
    report.put("model", modelDir.toAbsolutePath().toString());
    List<String> notes = new ArrayList<>(o.notes());
    if (o.equivalent()) {
      notes.add(0, EQUIVALENT_NOTE);
    }
    report.put("notes", notes);
    report.put("machine", MachineInfo.current().toMap());

    // Audio decode: what the GPU worker does with the WAV the CPU queue extracted (a non-WAV input is extracted first,
    // reported apart).
    Path wav = o.audio();
    Path tmp = null;
    double extractSec = 0;
    if (!o.audio().getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav")) {
      tmp = Files.createTempFile("bench-parakeet", ".wav");
      long x0 = System.nanoTime();
      new AudioExtractor().extract(o.audio(), tmp, AudioExtractor.Listener.NONE);
      extractSec = (System.nanoTime() - x0) / 1e9;
      wav = tmp;
    }
    float[] audio;
    double decodeSec;
    try {
      long d0 = System.nanoTime();
      audio = Pcm16Wav.read(wav);
      decodeSec = (System.nanoTime() - d0) / 1e9;
      // A second read: the first one pays for class loading and a cold page cache.
      d0 = System.nanoTime();
      audio = Pcm16Wav.read(wav);
      decodeSec = Math.min(decodeSec, (System.nanoTime() - d0) / 1e9);
    } finally {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
    double audioSec = audio.length / 16000.0;
    report.put("audioSec", audioSec);
    report.put("runs", o.runs());
    if (extractSec > 0) {
      report.put("extractSec", extractSec);
      report.put("extractRtfx", audioSec / extractSec);
    }
    report.put("decodeSec", decodeSec);
    report.put("decodeRtfx", audioSec / decodeSec);

    List<Map<String, Object>> batches = new ArrayList<>();
    List<Map<String, Object>> concurrent = new ArrayList<>();
    report.put("batches", batches);
    report.put("concurrent", concurrent);
    boolean first = true;
    for (int batch : o.batches()) {
      ParakeetEngine.Settings settings =
          new ParakeetEngine.Settings(
              modelDir, new ParakeetModel.Options(o.int8(), o.cuda(), 0, o.threads()), o.maxSegment(), batch);
      long l0 = System.nanoTime();
      try (ParakeetEngine engine = ParakeetEngine.load(settings)) {
        double loadSec = (System.nanoTime() - l0) / 1e9;
        // Warm-up on the first 30 s: session initialisation and kernel selection, not the figures.
        engine.transcribe(Arrays.copyOf(audio, Math.min(audio.length, 30 * 16000)), "en", null);
        double vad = 0;
        double frontend = 0;
        double encoder = 0;
        double decoding = 0;
        double whole = 0;
        ParakeetEngine.Result last = null;
        for (int r = 0; r < o.runs(); r++) {
          long w0 = System.nanoTime();
          last = engine.transcribe(audio, "en", null);
          whole += (System.nanoTime() - w0) / 1e9 / o.runs();
          ParakeetEngine.Timings t = last.timings();
          vad += t.vadSec() / o.runs();
          frontend += t.frontendSec() / o.runs();
          encoder += t.encoderSec() / o.runs();
          decoding += t.decoderSec() / o.runs();
        }
        if (first) {
          report.put("provider", engine.model().provider());
          report.put("vadProvider", engine.vadProvider());
          report.put("precision", o.int8() ? "int8" : "fp32");
          report.put("segments", last.segments());
          String text = last.transcript().text();
          report.put("words", last.transcript().words().size());
          report.put("text", text.length() > 300 ? text.substring(0, 300) + "..." : text);
          out.printf(
              Locale.ROOT,
              "model %s on %s%s (VAD on %s), %.1f s of audio in %d segments, mean of %d runs after a warm-up%n",
              o.model(), engine.model().provider(), o.int8() ? " (int8)" : "", engine.vadProvider(), audioSec,
              last.segments(), o.runs());
          if (o.equivalent()) {
            out.println("NOTE: " + EQUIVALENT_NOTE);
          }
          out.printf(Locale.ROOT, "%-14s %10s %10s%n", "stage", "seconds", "RTFx");
          if (extractSec > 0) {
            row(out, "extract", extractSec, audioSec);
          }
          row(out, "audio decode", decodeSec, audioSec);
          if (!engine.vadProvider().equals("CPU")) {
            // Side by side: the same audio's VAD on this machine's CPU cores, as vad-on-gpu=false would run it.
            double cpuSec = cpuVadSec(audio, o.maxSegment());
            report.put("vadCpuSec", cpuSec);
            report.put("vadCpuRtfx", audioSec / cpuSec);
            row(out, "VAD on CPU", cpuSec, audioSec);
          }
          out.println("words: " + last.transcript().words().size());
          out.println("text: " + report.get("text"));
          first = false;
        }
        out.printf(Locale.ROOT, "batch %d (model load %.1f s)%n", batch, loadSec);
        row(out, "VAD", vad, audioSec);
        row(out, "frontend", frontend, audioSec);
        row(out, "encoder", encoder, audioSec);
        row(out, "decoding", decoding, audioSec);
        row(out, "overall", whole, audioSec);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("batch", batch);
        b.put("modelLoadSec", loadSec);
        b.put("vadSec", vad);
        b.put("frontendSec", frontend);
        b.put("encoderSec", encoder);
        b.put("decodingSec", decoding);
        b.put("transcriptionSec", whole);
        Map<String, Object> rtfx = new LinkedHashMap<>();
        rtfx.put("vad", audioSec / vad);
        rtfx.put("frontend", audioSec / frontend);
        rtfx.put("encoder", audioSec / encoder);
        rtfx.put("decoding", audioSec / decoding);
        rtfx.put("transcription", audioSec / whole);
        rtfx.put("decodeVadFrontend", audioSec / (decodeSec + vad + frontend));
        b.put("rtfx", rtfx);
        b.put("decodingToEncoder", decoding / encoder);
        batches.add(b);
        for (int jobs : o.jobs()) {
          concurrent.add(parallel(engine, audio, audioSec, batch, jobs, out));
        }
      }
    }
    return report;
  }

  /** Silero VAD on the CPU cores in its CPU chunking, after a warm-up run. */
  private static double cpuVadSec(float[] audio, double maxSegmentSec) throws Exception {
    try (SileroVad vad =
        new SileroVad(OrtEnvironment.getEnvironment(), SileroVad.Chunking.defaults(), OptionalInt.empty())) {
      SileroVad.Settings settings = SileroVad.Settings.defaults(maxSegmentSec);
      vad.speech(Arrays.copyOf(audio, Math.min(audio.length, 30 * 16000)), settings);
      long started = System.nanoTime();
      vad.speech(audio, settings);
      return (System.nanoTime() - started) / 1e9;
    }
  }

  /** N transcriptions of the audio at once on one engine: their segments share encoder batches. */
  private static Map<String, Object> parallel(
      ParakeetEngine engine, float[] audio, double audioSec, int batch, int n, PrintStream out) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      long runsBefore = engine.encoderRuns();
      long segmentsBefore = engine.segmentsEncoded();
      long started = System.nanoTime();
      List<Future<ParakeetEngine.Result>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        results.add(pool.submit(() -> engine.transcribe(audio, "en", null)));
      }
      double decoding = 0;
      for (Future<ParakeetEngine.Result> r : results) {
        decoding += r.get().timings().decoderSec();
      }
      double wall = (System.nanoTime() - started) / 1e9;
      long runs = engine.encoderRuns() - runsBefore;
      long segments = engine.segmentsEncoded() - segmentsBefore;
      out.printf(
          Locale.ROOT,
          "parallel   %d transcriptions at once: %.3f s wall, overall RTFx %.1f, %d segments in %d encoder runs%n",
          n, wall, n * audioSec / wall, segments, runs);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("batch", batch);
      m.put("jobs", n);
      m.put("wallSec", wall);
      m.put("rtfx", n * audioSec / wall);
      m.put("encoderRuns", runs);
      m.put("segmentsEncoded", segments);
      m.put("meanSegmentsPerEncoderRun", runs == 0 ? 0 : segments / (double) runs);
      m.put("decodingSecSummedOverJobs", decoding);
      return m;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void row(PrintStream out, String stage, double sec, double audioSec) {
    out.printf(
        Locale.ROOT, "%-14s %10.4f %10.1f%n", stage, sec, sec > 0 ? audioSec / sec : Double.POSITIVE_INFINITY);
  }
}

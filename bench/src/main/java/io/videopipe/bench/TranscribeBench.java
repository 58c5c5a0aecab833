package io.videopipe.bench;

import io.videopipe.audio.AudioExtractor;
import io.videopipe.bench.parakeet.ParakeetStageBench;
import io.videopipe.transcribe.Transcript;
import io.videopipe.transcribe.VoskEngine;
import io.videopipe.transcribe.VoskModelLocator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Real-time factors of the transcription engines on looped speech. */
final class TranscribeBench {
  private TranscribeBench() {}

  /** The speech sample's audio, looped to {@code seconds}, as the 16 kHz mono WAV the engines read. */
  static Path speechWav(BenchInputs inputs, double seconds, Path workDir) throws Exception {
    Path wav = workDir.resolve("speech-" + BenchInputs.fmt(seconds) + "s.wav");
    new AudioExtractor().extract(inputs.speechAudio(seconds), wav, AudioExtractor.Listener.NONE);
    return wav;
  }

  /** Vosk with one recogniser, then with one per core (how the worker runs it: a long file split at pauses). */
  static Section vosk(Path wav, double audioSec) throws Exception {
    Section s = new Section("vosk");
    s.detail("audioSec", audioSec);
    int cores = Runtime.getRuntime().availableProcessors();
    Set<Integer> threadCounts = new LinkedHashSet<>(List.of(1, cores));
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int threads : threadCounts) {
      try (VoskEngine engine =
          new VoskEngine(
              VoskModelLocator.fromEnvironment(),
              new VoskEngine.Settings(threads, VoskEngine.Settings.DEFAULT_CHUNK_TARGET_SEC))) {
        long l0 = System.nanoTime();
        engine.loadModel();
        if (threads == 1) {
          s.figure("modelLoadSec", "model load", (System.nanoTime() - l0) / 1e9, "s");
        }
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Transcript t = engine.transcribe(wav, "en", null);
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        String k = "threads" + threads;
        String l = threads + " thread" + (threads == 1 ? "" : "s") + ": ";
        s.figure(k + "Rtf", l + "RTF (compute/audio)", wall / audioSec, "");
        s.figure(k + "Rtfx", l + "RTFx (audio/compute)", audioSec / wall, "x");
        s.figure(k + "RtfxPerCpu", l + "audio per CPU second", audioSec / cpu, "x");
        s.detail(k + "Words", t.words().size());
        s.detail(k + "WallSec", wall);
        s.detail(k + "CpuSec", cpu);
      }
    }
    s.note("RTFx is audio seconds per wall second over " + BenchInputs.fmt(audioSec) + " s of looped flite speech");
    return s;
  }

  /** Parakeet through {@link ParakeetStageBench}: its table is kept in the details, its overall RTFx is the figure. */
  static Section parakeet(Path modelDir, Path wav, double audioSec, int runs) {
    Section s = new Section("parakeet");
    if (modelDir == null) {
      return s.skipped("no --parakeet-model=DIR given (the ONNX export of parakeet-tdt-0.6b; see README)");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of(modelDir.toString(), wav.toString(), "--runs", String.valueOf(runs)));
    int code =
        ParakeetStageBench.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    s.detail("audioSec", audioSec).detail("output", text.lines().toList());
    if (code != 0) {
      return s.failed("bench-parakeet exit " + code + ": " + err.toString(StandardCharsets.UTF_8).strip());
    }
    for (String line : text.lines().toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 3 && List.of("VAD", "frontend", "encoder", "decoding", "overall").contains(f[0])) {
        try {
          String key = f[0].toLowerCase(Locale.ROOT);
          s.figure(key + "Rtfx", f[0] + ": RTFx, mean of " + runs, Double.parseDouble(f[2]), "x");
        } catch (NumberFormatException e) {
          s.note("unreadable line of bench-parakeet: " + line);
        }
      }
    }
    if (!text.isEmpty()) {
      s.note(text.lines().findFirst().orElse(""));
    }
    return s;
  }
}

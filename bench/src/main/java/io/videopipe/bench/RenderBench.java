package io.videopipe.bench;

import io.videopipe.clip.ClipInspector;
import io.videopipe.clip.ClipOptions;
import io.videopipe.clip.ClipOutputSpec;
import io.videopipe.clip.ClipRenderer;
import io.videopipe.loudness.LoudnessMeter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Clip rendering against the {@code ffmpeg} CLI encoding the same segment to the same output ({@link ClipOutputSpec}:
 * x264 preset and CRF of the renderer's defaults, High 4.0, VBV, 2 s GOP, BT.709 tags, AAC 48 kHz stereo 160 kbit/s,
 * faststart) in one pass, from a generated 1920x1080 and a 1080x1920 30 fps source. The CLI is given the gain that
 * brings the segment to the loudness target (measured beforehand, not timed), so both files carry the same loudness;
 * ours also measures, levels and checks its audio, which counts against it. One warm-up render, then the two sides
 * alternate; medians of wall and CPU time.
 */
final class RenderBench {
  /** Seconds of each clip: long enough for the encoder to dominate; --quick only checks that the section works. */
  static final double CLIP_SEC = 20;
  static final double QUICK_CLIP_SEC = 2;
  /** The clip starts here in the source (not on its first keyframe, as a highlight would). */
  static final double START_SEC = 1.0;
  static final int[][] SIZES = {{1920, 1080}, {1080, 1920}};

  private RenderBench() {}

  static Section run(FfmpegCli cli, String cliProblem, boolean quick, int runs, Path workDir) throws Exception {
    Section s = new Section("render");
    if (cli == null) {
      return s.skipped("no comparison: " + cliProblem);
    }
    double clipSec = quick ? QUICK_CLIP_SEC : CLIP_SEC;
    ClipRenderer.Settings settings = ClipRenderer.Settings.defaults();
    ClipOptions options = ClipOptions.defaults();
    ClipRenderer renderer =
        new ClipRenderer(new ClipRenderer.Settings(settings.x264Preset(), settings.crf(), workDir));
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    s.detail("clipSec", clipSec).detail("x264Preset", settings.x264Preset()).detail("crf", settings.crf());
    boolean warm = false;
    for (int[] size : SIZES) {
      String name = size[0] + "x" + size[1];
      Path source = workDir.resolve("render-src-" + name + ".mp4");
      cli.run(sourceArgs(size[0], size[1], clipSec + START_SEC + 1, source), 1800);
      double gainDb = options.targetLufs() - new LoudnessMeter().measure(source).integratedLufs();
      Path ours = workDir.resolve("render-ours-" + name + ".mp4");
      Path theirs = workDir.resolve("render-cli-" + name + ".mp4");
      List<String> cliArgs = cliArgs(source, clipSec, settings, gainDb, theirs);
      if (!warm) {
        // JIT, native libraries and the page cache, once for the section
        renderer.render(source, START_SEC, START_SEC + Math.min(1, clipSec), options, List.of(), 1, ours, () -> {});
        warm = true;
      }
      List<Double> oursWall = new ArrayList<>();
      List<Double> oursCpu = new ArrayList<>();
      List<Double> cliWall = new ArrayList<>();
      List<Double> cliCpu = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        renderer.render(source, START_SEC, START_SEC + clipSec, options, List.of(), 1, ours, () -> {});
        oursWall.add((System.nanoTime() - t0) / 1e9);
        oursCpu.add((os.getProcessCpuTime() - cpu0) / 1e9);
        FfmpegCli.Run c = cli.run(cliArgs, 1800);
        cliWall.add(c.wallSec());
        cliCpu.add(c.cpuSec());
      }
      double ow = Stats.median(oursWall);
      double cw = Stats.median(cliWall);
      String res = size[1] == 1080 ? "1080p30" : name;
      s.figure("wallRatio" + name, res + ": wall ours/CLI, median of " + runs + " (target <= 1.1)", ow / cw, "x");
      s.figure("cpuRatio" + name, res + ": CPU ours/CLI", Stats.median(oursCpu) / Stats.median(cliCpu), "x");
      s.figure("oursWallSec" + name, res + ": ours, wall per " + BenchInputs.fmt(clipSec) + " s clip", ow, "s");
      s.figure("cliWallSec" + name, res + ": ffmpeg CLI, wall", cw, "s");
      Map<String, Object> raw = new LinkedHashMap<>();
      raw.put("oursWallSec", oursWall);
      raw.put("oursCpuSec", oursCpu);
      raw.put("cliWallSec", cliWall);
      raw.put("cliCpuSec", cliCpu);
      raw.put("wallRatios", ratios(oursWall, cliWall));
      raw.put("cliGainDb", gainDb);
      raw.put("cliCommand", "ffmpeg " + String.join(" ", cliArgs));
      ClipInspector inspector = new ClipInspector();
      ClipInspector.Report a = inspector.inspect(ours);
      ClipInspector.Report b = inspector.inspect(theirs);
      raw.put("ours", describe(a, ours));
      raw.put("cli", describe(b, theirs));
      s.detail(name, raw);
      if (a.width() != b.width() || a.height() != b.height() || a.videoFrames() != b.videoFrames()
          || a.profile() != b.profile() || a.level() != b.level() || a.sampleRate() != b.sampleRate()) {
        s.note(name + ": the outputs differ: ours " + describe(a, ours) + ", CLI " + describe(b, theirs));
      }
      Files.deleteIfExists(source);
    }
    s.note("CLI wall includes process start; its CPU is the kernel's reaped-children time (10 ms ticks), ours the"
        + " JVM's process CPU (JIT and GC included). Ours levels its audio to the target (measure, limit, AAC check);"
        + " the CLI applies a fixed gain measured beforehand.");
    return s;
  }

  /** testsrc2 with pink noise whose level swings (tremolo), H.264 with a 2 s GOP, like a camera's file. */
  static List<String> sourceArgs(int width, int height, double seconds, Path out) {
    return List.of(
        "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-f", "lavfi", "-i",
        String.format(Locale.ROOT, "testsrc2=size=%dx%d:rate=30:duration=%s", width, height, BenchInputs.fmt(seconds)),
        "-f", "lavfi", "-i",
        String.format(Locale.ROOT, "anoisesrc=color=pink:sample_rate=48000:amplitude=0.3:duration=%s,tremolo=f=3:d=0.8",
            BenchInputs.fmt(seconds)),
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "60", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-ac", "2", "-shortest", out.toString());
  }

  /** The same segment to the same output spec as {@link ClipRenderer} in one CLI pass. */
  static List<String> cliArgs(Path source, double clipSec, ClipRenderer.Settings settings, double gainDb, Path out) {
    String colour = ClipOutputSpec.COLOUR;
    return List.of(
        "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-ss", BenchInputs.fmt(START_SEC), "-i", source.toString(), "-t", BenchInputs.fmt(clipSec),
        "-c:v", "libx264", "-preset", settings.x264Preset(), "-crf", Integer.toString(settings.crf()),
        "-profile:v", ClipOutputSpec.PROFILE_NAME, "-level", String.format(Locale.ROOT, "%.1f", ClipOutputSpec.LEVEL / 10.0),
        "-maxrate", ClipOutputSpec.MAX_RATE, "-bufsize", ClipOutputSpec.BUFSIZE, "-g", "60",
        "-color_primaries", colour, "-color_trc", colour, "-colorspace", colour, "-color_range", "tv",
        "-pix_fmt", ClipOutputSpec.PIXEL_FORMAT,
        "-af", String.format(Locale.ROOT, "volume=%.2fdB", gainDb),
        "-c:a", ClipOutputSpec.AUDIO_CODEC, "-b:a", Integer.toString(ClipOutputSpec.AUDIO_BITRATE),
        "-ar", Integer.toString(ClipOutputSpec.SAMPLE_RATE), "-ac", Integer.toString(ClipOutputSpec.CHANNELS),
        "-movflags", "+faststart+write_colr", out.toString());
  }

  private static Map<String, Object> describe(ClipInspector.Report r, Path file) throws java.io.IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("size", r.width() + "x" + r.height());
    m.put("fps", r.fps());
    m.put("frames", r.videoFrames());
    m.put("profile", r.profile());
    m.put("level", r.level());
    m.put("colour", r.frameColour());
    m.put("audio", r.audioCodec() + " " + r.sampleRate() + " Hz " + r.channels() + " ch");
    m.put("bytes", Files.size(file));
    return m;
  }

  private static List<Double> ratios(List<Double> a, List<Double> b) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(a.get(i) / b.get(i));
    }
    return out;
  }
}

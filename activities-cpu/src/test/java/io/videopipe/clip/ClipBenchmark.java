package io.videopipe.clip;

import io.videopipe.audio.MediaFixtures;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Render speed of 60 s clips ({@code -Dclip.seconds=N} for others) from 1920x1080 and 1080x1920 sources, side by side
 * with the {@code ffmpeg} CLI encoding the same segment with the same settings in one pass (preset, CRF, profile,
 * level, VBV, GOP, colour tags, a fixed gain, AAC 160 kbit/s), runs alternating ({@code -Dclip.runs=N}, after one
 * warm-up render), medians of wall and CPU time. Not part of the suite: {@code mvn -o test -pl activities-cpu -am
 * -Dtest=ClipBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dclip.benchmark=true [-Dclip.presets=veryfast,faster]
 * [-Dclip.seconds=20] [-Dclip.runs=3]}. The bench command's {@code render} section is the published figure.
 */
@EnabledIfSystemProperty(named = "clip.benchmark", matches = "true")
class ClipBenchmark {

  /** The CLI without the fixtures' 120 s limit; returns {wall, cpu} seconds (CPU: user + system of the child). */
  private static double[] cli(Path dir, String... args) throws Exception {
    Path exe = MediaFixtures.executable();
    Path libs = exe.getParent();
    Path shim = Files.createDirectories(dir.resolve("shim"));
    for (String lib : new String[] {"libva", "libva-drm"}) {
      Path link = shim.resolve(lib + ".so.2");
      if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, libs.resolve(lib + ".so"));
      }
    }
    List<String> cmd = new ArrayList<>(List.of(exe.toString(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("cli.log").toFile());
    pb.environment().put("LD_LIBRARY_PATH", shim + ":" + libs);
    double cpu0 = childrenCpuSec();
    long t0 = System.nanoTime();
    Process p = pb.start();
    int rc = p.waitFor();
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = childrenCpuSec() - cpu0;
    if (rc != 0) {
      throw new IllegalStateException("ffmpeg exited " + rc + ": " + Files.readString(dir.resolve("cli.log")));
    }
    return new double[] {wall, cpu};
  }

  /** cutime + cstime of /proc/self/stat (10 ms ticks): CPU of this process's reaped children. */
  private static double childrenCpuSec() throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  @Test
  void render60sClips() throws Exception {
    Path dir = Files.createTempDirectory("clip-bench");
    String[] presets = System.getProperty("clip.presets", "veryfast").split(",");
    int seconds = Integer.getInteger("clip.seconds", 60);
    int runs = Integer.getInteger("clip.runs", 3);
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int[] size : new int[][] {{1920, 1080}, {1080, 1920}}) {
      Path source = dir.resolve("src-" + size[0] + "x" + size[1] + ".mp4");
      cli(dir, "-f", "lavfi", "-i",
          String.format(Locale.ROOT, "testsrc2=size=%dx%d:rate=30:duration=%d", size[0], size[1], seconds + 2),
          "-f", "lavfi", "-i", String.format(Locale.ROOT,
              "anoisesrc=color=pink:sample_rate=48000:amplitude=0.3:duration=%d,tremolo=f=3:d=0.8", seconds + 2),
          "-c:v", "libx264", "-preset", "ultrafast", "-g", "60", "-pix_fmt", "yuv420p",
          "-c:a", "aac", "-ac", "2", "-shortest", source.toString());
      for (String preset : presets) {
        ClipRenderer renderer = new ClipRenderer(new ClipRenderer.Settings(preset, 21, dir));
        Path out = dir.resolve("clip.mp4");
        // warm-up: JIT, native libraries, page cache
        renderer.render(source, 1.0, 3.0, ClipOptions.defaults(), List.of(), 1, out, () -> {});
        List<Double> oursWall = new ArrayList<>();
        List<Double> oursCpu = new ArrayList<>();
        List<Double> cliWall = new ArrayList<>();
        List<Double> cliCpu = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
          long c0 = os.getProcessCpuTime();
          long t0 = System.nanoTime();
          renderer.render(source, 1.0, 1.0 + seconds, ClipOptions.defaults(), List.of(), 1, out, () -> {});
          oursWall.add((System.nanoTime() - t0) / 1e9);
          oursCpu.add((os.getProcessCpuTime() - c0) / 1e9);
          double[] c = cli(dir, "-ss", "1", "-i", source.toString(), "-t", Integer.toString(seconds),
              "-c:v", "libx264", "-preset", preset, "-crf", "21", "-profile:v", "high", "-level", "4.0",
              "-maxrate", ClipOutputSpec.MAX_RATE, "-bufsize", ClipOutputSpec.BUFSIZE, "-g", "60",
              "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709", "-color_range", "tv",
              "-pix_fmt", "yuv420p", "-af", "volume=3dB", "-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2",
              "-movflags", "+faststart+write_colr",
              dir.resolve("cli.mp4").toString());
          cliWall.add(c[0]);
          cliCpu.add(c[1]);
        }
        ClipInspector.Report r = new ClipInspector().inspect(out);
        System.out.printf(Locale.ROOT,
            "BENCH %dx%d %s %d s x%d: wall ours %s CLI %s, ratio %.2f; CPU ours %s CLI %s, ratio %.2f; per-run wall"
                + " ratios %s; %dx%d %.0f fps%n",
            size[0], size[1], preset, seconds, runs, oursWall, cliWall, median(oursWall) / median(cliWall),
            oursCpu, cliCpu, median(oursCpu) / median(cliCpu), ratios(oursWall, cliWall), r.width(), r.height(),
            r.fps());
      }
    }
  }

  private static List<String> ratios(List<Double> a, List<Double> b) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(String.format(Locale.ROOT, "%.2f", a.get(i) / b.get(i)));
    }
    return out;
  }
}

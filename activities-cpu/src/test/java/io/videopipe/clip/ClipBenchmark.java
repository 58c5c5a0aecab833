package io.videopipe.clip;

import io.videopipe.audio.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Render speed of 60 s clips ({@code -Dclip.seconds=N} for others) from 1920x1080 and 1080x1920 sources, side by side
 * with the {@code ffmpeg} CLI encoding the same segment with the same settings in one pass (preset, CRF, profile,
 * level, VBV, GOP, colour tags, a fixed gain, AAC 160 kbit/s). Not part of the suite: {@code mvn -o test -pl
 * activities-cpu -am -Dtest=ClipBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dclip.benchmark=true
 * [-Dclip.presets=veryfast,faster] [-Dclip.seconds=20]}.
 */
@EnabledIfSystemProperty(named = "clip.benchmark", matches = "true")
class ClipBenchmark {

  /** The CLI without the fixtures' 120 s limit (a loaded machine can take longer for 60 s of 1080p). */
  private static void cli(Path dir, String... args) throws Exception {
    Path exe = MediaFixtures.executable();
    Path libs = exe.getParent();
    Path shim = Files.createDirectories(dir.resolve("shim"));
    for (String lib : new String[] {"libva", "libva-drm"}) {
      Path link = shim.resolve(lib + ".so.2");
      if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, libs.resolve(lib + ".so"));
      }
    }
    java.util.List<String> cmd = new java.util.ArrayList<>(
        java.util.List.of(exe.toString(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y"));
    cmd.addAll(java.util.List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("cli.log").toFile());
    pb.environment().put("LD_LIBRARY_PATH", shim + ":" + libs);
    int rc = pb.start().waitFor();
    if (rc != 0) {
      throw new IllegalStateException("ffmpeg exited " + rc + ": " + Files.readString(dir.resolve("cli.log")));
    }
  }

  @Test
  void render60sClips() throws Exception {
    Path dir = Files.createTempDirectory("clip-bench");
    String[] presets = System.getProperty("clip.presets", "veryfast").split(",");
    int seconds = Integer.getInteger("clip.seconds", 60);
    for (int[] size : new int[][] {{1920, 1080}, {1080, 1920}}) {
      Path source = dir.resolve("src-" + size[0] + "x" + size[1] + ".mp4");
      // the CLI without the fixtures' time limit: a loaded machine takes long to make a minute of 1080p
      cli(dir, "-f", "lavfi", "-i",
          String.format(Locale.ROOT, "testsrc2=size=%dx%d:rate=30:duration=%d", size[0], size[1], seconds + 2),
          "-f", "lavfi", "-i", String.format(Locale.ROOT,
              "anoisesrc=color=pink:sample_rate=48000:amplitude=0.3:duration=%d,tremolo=f=3:d=0.8", seconds + 2),
          "-c:v", "libx264", "-preset", "ultrafast", "-g", "60", "-pix_fmt", "yuv420p",
          "-c:a", "aac", "-ac", "2", "-shortest", source.toString());
      for (String preset : presets) {
        ClipRenderer renderer =
            new ClipRenderer(new ClipRenderer.Settings(preset, 21, dir));
        Path out = dir.resolve("clip.mp4");
        long t0 = System.nanoTime();
        renderer.render(source, 1.0, 1.0 + seconds, ClipOptions.defaults(), java.util.List.of(), 1, out, () -> {});
        double ours = (System.nanoTime() - t0) / 1e9;
        ClipInspector.Report r = new ClipInspector().inspect(out);
        long t1 = System.nanoTime();
        cli(dir, "-ss", "1", "-i", source.toString(), "-t", Integer.toString(seconds),
            "-c:v", "libx264", "-preset", preset, "-crf", "21", "-profile:v", "high", "-level", "4.0",
            "-maxrate", ClipOutputSpec.MAX_RATE, "-bufsize", ClipOutputSpec.BUFSIZE, "-g", "60",
            "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709",
            "-pix_fmt", "yuv420p", "-af", "volume=3dB", "-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2",
            "-movflags", "+faststart",
            dir.resolve("cli.mp4").toString());
        double cli = (System.nanoTime() - t1) / 1e9;
        System.out.printf(Locale.ROOT,
            "BENCH %dx%d %s: ours %.1f s (%.2fx realtime cost = %.2f s per clip second), ffmpeg CLI %.1f s, ratio %.2f;"
                + " %dx%d %.0f fps, %d KiB%n",
            size[0], size[1], preset, ours, seconds / ours, ours / seconds, cli, ours / cli, r.width(), r.height(), r.fps(),
            Files.size(out) / 1024);
      }
    }
  }
}

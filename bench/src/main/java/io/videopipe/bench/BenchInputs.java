package io.videopipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Generated inputs, made once with the ffmpeg CLI and kept in the cache directory (names carry every parameter, files
 * appear by rename so an interrupted run leaves no half file). Long inputs are a short piece looped with stream copy:
 * extraction and recognition cost do not depend on the content repeating, and the loop costs seconds, not minutes.
 */
final class BenchInputs {
  private static final String VERSION = "v1";
  private static final double SEGMENT_SEC = 10;

  private final Path cacheDir;
  private final FfmpegCli cli;
  private final Path speech;

  /**
   * @param cli null where the CLI cannot run: then nothing can be generated
   * @param speech a video or audio file with speech (the repository's samples/talk.mp4), or null
   */
  BenchInputs(Path cacheDir, FfmpegCli cli, Path speech) {
    this.cacheDir = cacheDir;
    this.cli = cli;
    this.speech = speech;
  }

  Path cacheDir() {
    return cacheDir;
  }

  Path speech() {
    return speech;
  }

  /** {@code seconds} of 1920x1080 30 fps H.264 (about 6 Mb/s) + AAC 48 kHz stereo 128 kb/s in MP4. */
  Path video1080p(double seconds) throws IOException {
    Path segment =
        cached(
            String.format(Locale.ROOT, "%s-h264-aac-1080p30-%s.mp4", VERSION, fmt(SEGMENT_SEC)),
            out ->
                List.of(
                    "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30:duration=" + fmt(SEGMENT_SEC),
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + fmt(SEGMENT_SEC),
                    "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "6M", "-maxrate", "6M", "-bufsize", "12M",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-shortest", out));
    return looped(segment, seconds, "mp4", false);
  }

  /** {@code seconds} of the speech sample's audio track, looped, as AAC in M4A. */
  Path speechAudio(double seconds) throws IOException {
    requireSpeech();
    return looped(speech, seconds, "m4a", true);
  }

  /** {@code seconds} of the speech sample, video and audio, looped: a talk of any length for whole-pipeline runs. */
  Path speechVideo(double seconds) throws IOException {
    requireSpeech();
    return looped(speech, seconds, "mp4", false);
  }

  /** The first {@code seconds} of the speech sample, re-encoded (a copy would start mid-GOP). */
  Path speechClip(double seconds) throws IOException {
    requireSpeech();
    return cached(
        String.format(Locale.ROOT, "%s-speech-clip-%s.mp4", VERSION, fmt(seconds)),
        out ->
            List.of(
                "-i", speech.toString(), "-t", fmt(seconds), "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", out));
  }

  private Path looped(Path source, double seconds, String ext, boolean audioOnly) throws IOException {
    String base = source.getFileName().toString().replaceAll("\\.[^.]+$", "").replaceFirst("^" + VERSION + "-", "");
    String name = String.format(Locale.ROOT, "%s-%s-%ss.%s", VERSION, base, fmt(seconds), ext);
    return cached(
        name,
        out -> {
          List<String> args = new ArrayList<>(List.of("-stream_loop", "-1", "-i", source.toString()));
          if (audioOnly) {
            args.addAll(List.of("-map", "0:a:0"));
          }
          args.addAll(List.of("-t", fmt(seconds), "-c", "copy", out));
          return args;
        });
  }

  private interface Recipe {
    List<String> args(String out);
  }

  private Path cached(String name, Recipe recipe) throws IOException {
    Path target = cacheDir.resolve(name);
    if (Files.isRegularFile(target)) {
      return target;
    }
    if (cli == null) {
      throw new IllegalStateException("cannot generate " + name + ": the ffmpeg CLI does not run here");
    }
    Files.createDirectories(cacheDir);
    Path tmp = cacheDir.resolve(".tmp-" + ProcessHandle.current().pid() + "-" + name);
    try {
      List<String> args = new ArrayList<>(List.of("-hide_banner", "-loglevel", "error", "-nostdin", "-y"));
      args.addAll(recipe.args(tmp.toString()));
      cli.run(args, 1800);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private void requireSpeech() {
    if (speech == null) {
      throw new IllegalStateException("no speech sample: run from the repository root (samples/talk.mp4) or give --speech=FILE");
    }
  }

  static String fmt(double seconds) {
    return String.format(Locale.ROOT, "%.3f", seconds).replaceAll("\\.?0+$", "");
  }
}

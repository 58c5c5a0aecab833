package io.videopipe.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;

/**
 * Generates small media files for tests with the {@code ffmpeg} executable that ships inside the bytedeco FFmpeg jar
 * (GPL build: libx264, libx265, libvpx, libopus, libmp3lame, aac, flac; Vorbis only through the native encoder). Every
 * audio track is a sine at {@link #TONE_HZ} unless the generator says otherwise, so a test can check the decoded signal.
 *
 * <p>The executable links libavdevice, which needs PulseAudio's {@code libpulse.so.0} and {@code libva.so.2}; the jar
 * ships libva under another name and no libpulse. {@link #executable()} prepares a directory with the missing names (a
 * do-nothing libpulse built with gcc when the system has none; the fixtures never open an audio device).
 */
public final class MediaFixtures {
  /** Frequency of the sine in every generated audio track. */
  public static final int TONE_HZ = 440;

  /** Tones of {@link #surround51}: FL, FR, FC, LFE (silent), BL, BR. */
  public static final int[] SURROUND_TONES_HZ = {300, 500, 700, 0, 900, 1100};

  private static final long TIMEOUT_SEC = 120;
  private static volatile Runner runner;

  private MediaFixtures() {}

  /** Path of the bytedeco {@code ffmpeg} executable. */
  public static Path executable() {
    return runner().exe;
  }

  /**
   * Runs {@code ffmpeg -hide_banner -loglevel error -nostdin -y <args> <out>} and returns {@code out}. Throws if ffmpeg
   * exits non-zero or writes no file.
   */
  public static Path ffmpeg(Path out, String... args) {
    List<String> cmd = new ArrayList<>(List.of("-hide_banner", "-loglevel", "error", "-nostdin", "-y"));
    cmd.addAll(List.of(args));
    cmd.add(out.toString());
    String log = runner().run(cmd);
    if (!Files.isRegularFile(out)) {
      throw new IllegalStateException("ffmpeg wrote no " + out + ": " + log);
    }
    return out;
  }

  /** Runs the executable with exactly these arguments and returns its combined output; throws on a non-zero exit. */
  public static String run(String... args) {
    return runner().run(List.of(args));
  }

  /** H.264 320x240 25 fps + AAC 48 kHz stereo in MP4, index ('moov') at the end as FFmpeg and cameras write it. */
  public static Path mp4H264Aac(Path dir, double seconds) {
    return mp4H264Aac(dir, seconds, 320, 240);
  }

  /** H.264 (ultrafast) at the given size, 25 fps + AAC 48 kHz stereo in MP4, e.g. 1280x720 for timings. */
  public static Path mp4H264Aac(Path dir, double seconds, int width, int height) {
    String name = String.format(Locale.ROOT, "h264-aac-%dx%d-%s.mp4", width, height, fmt(seconds));
    return ffmpeg(
        dir.resolve(name),
        concat(
            video(seconds, width, height, 25),
            tone(seconds, 48000),
            new String[] {
              "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
              "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-shortest"
            }));
  }

  /** A copy of an MP4 with its index moved to the front ({@code -movflags +faststart}), as web uploads usually are. */
  public static Path faststart(Path mp4, Path out) {
    return ffmpeg(out, "-i", mp4.toString(), "-map", "0", "-c", "copy", "-movflags", "+faststart");
  }

  /** H.265 + Opus 48 kHz stereo in Matroska. */
  public static Path mkvH265Opus(Path dir, double seconds) {
    return ffmpeg(
        dir.resolve("h265-opus-" + fmt(seconds) + ".mkv"),
        concat(
            video(seconds, 320, 240, 25),
            tone(seconds, 48000),
            new String[] {
              "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p",
              "-c:a", "libopus", "-b:a", "64k", "-ac", "2", "-shortest"
            }));
  }

  /** VP9 + Opus in WebM. */
  public static Path webmVp9Opus(Path dir, double seconds) {
    return ffmpeg(
        dir.resolve("vp9-opus-" + fmt(seconds) + ".webm"),
        concat(
            video(seconds, 320, 240, 25),
            tone(seconds, 48000),
            concat(vp9(), new String[] {"-c:a", "libopus", "-b:a", "64k", "-ac", "2", "-shortest"})));
  }

  /** VP9 + Vorbis 44.1 kHz in WebM (the build has no libvorbis; FFmpeg's own encoder is experimental). */
  public static Path webmVp9Vorbis(Path dir, double seconds) {
    return ffmpeg(
        dir.resolve("vp9-vorbis-" + fmt(seconds) + ".webm"),
        concat(
            video(seconds, 320, 240, 25),
            tone(seconds, 44100),
            concat(vp9(), new String[] {"-c:a", "vorbis", "-strict", "-2", "-ac", "2", "-shortest"})));
  }

  /** H.264 + AAC 44.1 kHz stereo in QuickTime MOV. */
  public static Path movH264Aac(Path dir, double seconds) {
    return ffmpeg(
        dir.resolve("h264-aac-" + fmt(seconds) + ".mov"),
        concat(
            video(seconds, 320, 240, 30),
            tone(seconds, 44100),
            new String[] {
              "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
              "-c:a", "aac", "-ac", "2", "-shortest", "-f", "mov"
            }));
  }

  /** Audio-only AAC 44.1 kHz stereo in M4A. */
  public static Path m4aAac(Path dir, double seconds) {
    return ffmpeg(
        dir.resolve("aac-" + fmt(seconds) + ".m4a"),
        concat(tone(seconds, 44100), new String[] {"-c:a", "aac", "-ac", "2"}));
  }

  /** MP3 44.1 kHz stereo. */
  public static Path mp3(Path dir, double seconds) {
    return ffmpeg(
        dir.resolve("tone-" + fmt(seconds) + ".mp3"),
        concat(tone(seconds, 44100), new String[] {"-c:a", "libmp3lame", "-b:a", "128k", "-ac", "2"}));
  }

  /** MP3 with a PNG cover picture (an attached-picture video stream that is not a video). */
  public static Path mp3WithCover(Path dir, double seconds) {
    Path cover = ffmpeg(dir.resolve("cover.png"), "-f", "lavfi", "-i", "testsrc2=size=64x64", "-frames:v", "1");
    return ffmpeg(
        dir.resolve("tone-cover-" + fmt(seconds) + ".mp3"),
        concat(
            tone(seconds, 44100),
            new String[] {
              "-i", cover.toString(), "-map", "0:a", "-map", "1:v", "-c:a", "libmp3lame", "-c:v", "png",
              "-disposition:v", "attached_pic", "-id3v2_version", "3"
            }));
  }

  /** PCM s16le 48 kHz stereo WAV. */
  public static Path wav(Path dir, double seconds) {
    return ffmpeg(
        dir.resolve("tone-" + fmt(seconds) + ".wav"),
        concat(tone(seconds, 48000), new String[] {"-c:a", "pcm_s16le", "-ac", "2"}));
  }

  /** FLAC 48 kHz stereo. */
  public static Path flac(Path dir, double seconds) {
    return ffmpeg(
        dir.resolve("tone-" + fmt(seconds) + ".flac"),
        concat(tone(seconds, 48000), new String[] {"-c:a", "flac", "-ac", "2"}));
  }

  /** 8 kHz mono G.711 mu-law WAV, as telephone recordings come. */
  public static Path telephone8k(Path dir, double seconds) {
    return ffmpeg(
        dir.resolve("telephone-" + fmt(seconds) + ".wav"),
        concat(tone(seconds, 8000), new String[] {"-c:a", "pcm_mulaw", "-ac", "1"}));
  }

  /**
   * 5.1 AAC 48 kHz in MP4 with a different sine in each channel ({@link #SURROUND_TONES_HZ}, LFE silent), behind a
   * small H.264 video.
   */
  public static Path surround51(Path dir, double seconds) {
    List<String> args = new ArrayList<>(List.of(video(seconds, 160, 120, 25)));
    StringBuilder graph = new StringBuilder();
    for (int ch = 0; ch < SURROUND_TONES_HZ.length; ch++) {
      int hz = SURROUND_TONES_HZ[ch];
      String src =
          hz == 0
              ? String.format(Locale.ROOT, "anullsrc=r=48000:cl=mono,atrim=duration=%s", fmt(seconds))
              : String.format(Locale.ROOT, "sine=frequency=%d:sample_rate=48000:duration=%s", hz, fmt(seconds));
      graph.append(src).append("[c").append(ch).append("];");
    }
    graph.append("[c0][c1][c2][c3][c4][c5]join=inputs=6:channel_layout=5.1[a]");
    args.addAll(
        List.of(
            "-filter_complex", graph.toString(), "-map", "0:v", "-map", "[a]",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "256k",
            "-shortest"));
    return ffmpeg(dir.resolve("surround51-" + fmt(seconds) + ".mp4"), args.toArray(String[]::new));
  }

  /** H.264 320x240 in MP4 with no audio stream. */
  public static Path videoOnlyH264(Path dir, double seconds, int width, int height) {
    return ffmpeg(
        dir.resolve(String.format(Locale.ROOT, "video-only-%dx%d-%s.mp4", width, height, fmt(seconds))),
        concat(
            video(seconds, width, height, 25),
            new String[] {"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-an"}));
  }

  /** White noise (anoisesrc) 16 kHz mono WAV, e.g. for a signal with no dominant frequency. */
  public static Path noiseWav(Path dir, double seconds) {
    return ffmpeg(
        dir.resolve("noise-" + fmt(seconds) + ".wav"),
        "-f", "lavfi", "-i",
        String.format(Locale.ROOT, "anoisesrc=color=white:sample_rate=16000:amplitude=0.3:duration=%s", fmt(seconds)),
        "-c:a", "pcm_s16le");
  }

  /**
   * Small H.264 video and two AAC tracks: stream 1 digital silence tagged "eng", stream 2 the tone tagged "fra". With
   * {@code mkvNoDefault} a Matroska file where neither track is marked default, else an MP4 whose second track is the
   * default one.
   */
  public static Path silentFirstTrack(Path dir, double seconds, boolean mkvNoDefault) {
    String d = fmt(seconds);
    List<String> args = new ArrayList<>(List.of(video(seconds, 160, 120, 25)));
    args.addAll(
        List.of(
            "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo,atrim=duration=" + d,
            "-f", "lavfi", "-i", "sine=frequency=" + TONE_HZ + ":sample_rate=48000:duration=" + d,
            "-map", "0:v", "-map", "1:a", "-map", "2:a",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k",
            "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=fra",
            "-disposition:a:0", "0", "-disposition:a:1", mkvNoDefault ? "0" : "default"));
    if (mkvNoDefault) {
      args.addAll(List.of("-default_mode", "passthrough"));
    }
    args.add("-shortest");
    String name = "silent-first-" + d + (mkvNoDefault ? ".mkv" : ".mp4");
    return ffmpeg(dir.resolve(name), args.toArray(String[]::new));
  }

  /** The first {@code bytes} bytes of {@code source}, written to {@code out}. */
  public static Path truncated(Path source, Path out, long bytes) {
    try (var in = Files.newInputStream(source);
        var os = Files.newOutputStream(out)) {
      os.write(in.readNBytes(Math.toIntExact(bytes)));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A text file, e.g. named {@code .mp4} to pose as media. */
  public static Path textFile(Path out, String text) {
    try {
      return Files.writeString(out, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String[] video(double seconds, int width, int height, int fps) {
    return new String[] {
      "-f", "lavfi", "-i",
      String.format(Locale.ROOT, "testsrc2=size=%dx%d:rate=%d:duration=%s", width, height, fps, fmt(seconds))
    };
  }

  private static String[] tone(double seconds, int sampleRate) {
    return new String[] {
      "-f", "lavfi", "-i",
      String.format(
          Locale.ROOT, "sine=frequency=%d:sample_rate=%d:duration=%s", TONE_HZ, sampleRate, fmt(seconds))
    };
  }

  private static String[] vp9() {
    return new String[] {
      "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k", "-pix_fmt", "yuv420p"
    };
  }

  private static String fmt(double seconds) {
    return String.format(Locale.ROOT, "%.3f", seconds).replaceAll("\\.?0+$", "");
  }

  private static String[] concat(String[]... parts) {
    List<String> all = new ArrayList<>();
    for (String[] p : parts) {
      all.addAll(List.of(p));
    }
    return all.toArray(String[]::new);
  }

  private static Runner runner() {
    Runner r = runner;
    if (r == null) {
      synchronized (MediaFixtures.class) {
        r = runner;
        if (r == null) {
          r = Runner.create();
          runner = r;
        }
      }
    }
    return r;
  }

  private record Runner(Path exe, String libraryPath) {

    static Runner create() {
      try {
        Path exe = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        Path libDir = exe.getParent();
        Path shim = Files.createTempDirectory("videopipe-ffmpeg-libs");
        shim.toFile().deleteOnExit();
        // The jar ships libva under its link name only; the executable asks for the soname.
        link(shim.resolve("libva.so.2"), libDir.resolve("libva.so"));
        link(shim.resolve("libva-drm.so.2"), libDir.resolve("libva-drm.so"));
        String inherited = System.getenv("LD_LIBRARY_PATH");
        String path = shim + ":" + libDir + (inherited == null || inherited.isBlank() ? "" : ":" + inherited);
        Runner runner = new Runner(exe, path);
        try {
          runner.run(List.of("-hide_banner", "-version"));
          return runner;
        } catch (IllegalStateException e) {
          if (!e.getMessage().contains("libpulse.so.0")) {
            throw e;
          }
        }
        buildPulseStub(shim);
        runner.run(List.of("-hide_banner", "-version"));
        return runner;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare the bytedeco ffmpeg executable", e);
      }
    }

    private static void link(Path link, Path target) throws IOException {
      if (Files.exists(target)) {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
        link.toFile().deleteOnExit();
      }
    }

    /** An empty libpulse.so.0 that defines the symbol version libavdevice needs; functions bind lazily, never called. */
    private static void buildPulseStub(Path dir) throws IOException {
      Path map = Files.writeString(dir.resolve("pulse.map"), "PULSE_0 { global: *; };\n");
      Path src = Files.writeString(dir.resolve("pulse.c"), "void videopipe_pulse_stub(void) {}\n");
      Path lib = dir.resolve("libpulse.so.0");
      List<String> cmd =
          List.of(
              "gcc", "-shared", "-fPIC", "-o", lib.toString(), "-Wl,-soname,libpulse.so.0",
              "-Wl,--version-script=" + map, src.toString());
      try {
        exec(cmd, null);
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "bytedeco ffmpeg needs libpulse.so.0: install it (apt-get install libpulse0) or gcc", e);
      }
      for (Path p : List.of(map, src, lib)) {
        p.toFile().deleteOnExit();
      }
    }

    String run(List<String> args) {
      List<String> cmd = new ArrayList<>();
      cmd.add(exe.toString());
      cmd.addAll(args);
      return exec(cmd, libraryPath);
    }

    private static String exec(List<String> cmd, String libraryPath) {
      Path log = null;
      try {
        log = Files.createTempFile("videopipe-ffmpeg", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (libraryPath != null) {
          pb.environment().put("LD_LIBRARY_PATH", libraryPath);
        }
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SEC, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("timed out after " + TIMEOUT_SEC + " s: " + String.join(" ", cmd));
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
          throw new IllegalStateException(
              "exit " + p.exitValue() + " from " + String.join(" ", cmd) + "\n" + text.strip());
        }
        return text;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot run " + cmd.get(0), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted running " + cmd.get(0), e);
      } finally {
        if (log != null) {
          log.toFile().delete();
        }
      }
    }
  }
}

package io.videopipe.clip;

import io.videopipe.audio.MediaFixtures;
import java.nio.file.Path;
import java.util.Locale;

/** Small sources for clip tests, generated with the bytedeco ffmpeg executable. */
final class ClipFixtures {
  /** Where the picture turns from red to blue and the audio from quiet to loud. */
  static final double CHANGE_SEC = 10.0;
  static final int FPS = 25;

  private ClipFixtures() {}

  /**
   * 20 s, 640x360 at 25 fps, a keyframe every 2 s; red then blue from {@link #CHANGE_SEC}. Audio: amplitude-modulated
   * pink noise (speech-like envelope), about -32 LUFS before the change and about -12 LUFS after.
   */
  static Path twoLevelSource(Path dir) {
    return MediaFixtures.ffmpeg(
        dir.resolve("two-level.mp4"),
        "-f", "lavfi", "-i", color("red"),
        "-f", "lavfi", "-i", color("blue"),
        "-f", "lavfi", "-i", noise(0.2, 0),
        "-f", "lavfi", "-i", noise(0.45, 13.7),
        "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v];[2:a][3:a]concat=n=2:v=0:a=1[a]",
        "-map", "[v]", "-map", "[a]",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-ar", "48000", "-ac", "2", "-b:a", "128k");
  }

  /** The same audio as {@link #twoLevelSource} in an M4A (no video stream). */
  static Path audioOnly(Path dir) {
    return MediaFixtures.ffmpeg(
        dir.resolve("audio-only.m4a"),
        "-f", "lavfi", "-i", noise(0.2, 0),
        "-f", "lavfi", "-i", noise(0.45, 13.7),
        "-filter_complex", "[0:a][1:a]concat=n=2:v=0:a=1[a]",
        "-map", "[a]", "-c:a", "aac", "-ar", "44100", "-ac", "1", "-b:a", "96k");
  }

  private static String color(String c) {
    return String.format(Locale.ROOT, "color=c=%s:s=640x360:r=%d:d=%s", c, FPS, CHANGE_SEC);
  }

  private static String noise(double amplitude, double gainDb) {
    return String.format(
        Locale.ROOT,
        "anoisesrc=color=pink:sample_rate=48000:amplitude=%s:duration=%s:seed=7,tremolo=f=3:d=0.8,"
            + "volume=%sdB,aformat=channel_layouts=stereo",
        amplitude, CHANGE_SEC, gainDb);
  }
}

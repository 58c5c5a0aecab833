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

  /** Where {@link #twoFaces}' faces are (1280x720): the larger on the left, the smaller on the right. */
  static final int LARGE_FACE_X = 186;
  static final int SMALL_FACE_X = 860;

  /**
   * {@code durationSec} s, 1280x720 at 25 fps: two copies of the face of {@code photo} side by side, a larger one (320
   * px high) at {@link #LARGE_FACE_X} and a smaller one (220 px high) at {@link #SMALL_FACE_X}. The smaller one speaks
   * until {@code switchSec}, the larger one after: the speaker's mouth region opens and closes (drops 3.5 % of the
   * face's height for 3 frames of every 6) while the other's stays still. Speech-like noise throughout.
   */
  static Path twoFaces(Path dir, Path photo, double durationSec, double switchSec) {
    String d = String.format(Locale.ROOT, "%s", durationSec);
    String s = String.format(Locale.ROOT, "%s", switchSec);
    return MediaFixtures.ffmpeg(dir.resolve("two-faces-" + d + "-" + s + ".mp4"),
        "-f", "lavfi", "-i", "color=c=0x707070:s=1280x720:r=25:d=" + d,
        "-loop", "1", "-framerate", "25", "-i", photo.toString(),
        "-f", "lavfi", "-i", "anoisesrc=color=pink:sample_rate=48000:amplitude=0.3:duration=" + d + ":seed=5,"
            + "tremolo=f=3:d=0.8,aformat=channel_layouts=stereo",
        "-filter_complex", "[1:v]crop=90:100:200:45,split[l][s];"
            + talking("l", 320, "gte(t," + s + ")", "large") + talking("s", 220, "lt(t," + s + ")", "small")
            + "[0:v][large]overlay=x=" + LARGE_FACE_X + ":y=250:shortest=1[v1];"
            + "[v1][small]overlay=x=" + SMALL_FACE_X + ":y=300:shortest=1[v]",
        "-map", "[v]", "-map", "2:a", "-t", d,
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-ar", "48000", "-ac", "2");
  }

  /** A face {@code height} px high whose mouth opens and closes while {@code speaking} (an expression of t). */
  private static String talking(String in, int height, String speaking, String out) {
    return String.format(Locale.ROOT,
        "[%1$s]scale=-2:%2$d,split[%1$sa][%1$sb];[%1$sb]crop=iw*0.35:ih*0.15:iw*0.3:ih*0.7[%1$sm];"
            + "[%1$sa][%1$sm]overlay=x=W*0.3:y=H*0.735:enable='%3$s*lt(mod(n,6),3)'[%4$s];",
        in, height, speaking, out);
  }
}

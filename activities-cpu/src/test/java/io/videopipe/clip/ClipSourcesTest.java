package io.videopipe.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.videopipe.audio.MediaFixtures;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sources that are not 8-bit BT.709 at a constant rate of at most 30 fps: HLG, 10-bit BT.2020 SDR, PQ with and without
 * a stated peak, variable frame rate, 59.94/50/24 fps. Each clip is measured against the source's own pictures.
 */
class ClipSourcesTest {
  @TempDir Path dir;
  final ClipRenderer renderer = new ClipRenderer();
  final ClipInspector inspector = new ClipInspector();

  // ---- colours ------------------------------------------------------------------------------------------------

  /**
   * Largest colour errors a converted clip may show against the SDR picture it was made from: mean absolute 8-bit
   * RGB difference over all pixels, and CIEDE2000 over the flat patches (mean and worst). A Delta E of about 2 is at
   * the edge of what a viewer sees side by side; the clip is a CRF 21 H.264 encode of a 4:2:0 picture, converted in
   * float and dithered back to 8 bits, so it never matches exactly.
   */
  static final double MAX_MEAN_RGB_ERROR = 5.0;
  static final double MAX_MEAN_DELTA_E = 2.0;
  static final double MAX_PATCH_DELTA_E = 5.0;

  /**
   * The same picture as HDR, SDR white at 203 cd/m2 (BT.2408), BT.2020, 10-bit HEVC: HLG (75 % signal, as cameras and
   * phones record it) and PQ with no peak stated (HDR10; the 1000 cd/m2 default is assumed).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"arib-std-b67", "smpte2084"})
  void hdrSourceComesOutWithTheSdrPicturesColours(String transfer) throws Exception {
    Path sdr = sdrBars(dir);
    Path hdr = hevc10(sdr, dir.resolve(transfer + ".mkv"),
        "zscale=tin=709:min=709:pin=709:rin=tv:t=linear:npl=203:p=709,format=gbrpf32le,"
            + "zscale=p=2020:t=" + transfer + ":m=2020_ncl:r=tv:npl=203,format=yuv420p10le",
        "bt2020", transfer, "bt2020nc", "");
    Path clip = render(hdr, "from-" + transfer + ".mp4");
    assertDeliveryColour(clip);

    ColourError converted = ColourError.of(rgbAt(sdr, 1.0), rgbAt(clip, 0.5));
    System.out.println(transfer + " -> SDR: " + converted);
    assertWithinTolerance(converted);
    // the HDR picture only relabelled as BT.709 (what the clips once did) is far off: the measure can fail
    ColourError relabelled = ColourError.of(rgbAt(sdr, 1.0), rgbAt(relabelled(hdr), 1.0));
    System.out.println(transfer + " relabelled: " + relabelled);
    assertThat(relabelled.meanDeltaE()).isGreaterThan(3 * MAX_MEAN_DELTA_E);
  }

  @Test
  void tenBitBt2020SdrSourceIsConvertedToTheBt709Gamut() throws Exception {
    Path sdr = sdrBars(dir);
    // the same picture in BT.2020 primaries (converted in linear light), SDR transfer, 10 bits: its saturated bars
    // have other code values than in BT.709
    Path wide = hevc10(sdr, dir.resolve("bt2020-sdr.mkv"),
        "zscale=tin=709:min=709:pin=709:rin=tv:t=linear:p=709,format=gbrpf32le,"
            + "zscale=p=2020:t=bt2020-10:m=2020_ncl:r=tv,format=yuv420p10le",
        "bt2020", "bt2020-10", "bt2020nc", "");
    Path clip = render(wide, "from-bt2020.mp4");
    assertDeliveryColour(clip);

    ColourError converted = ColourError.of(rgbAt(sdr, 1.0), rgbAt(clip, 0.5));
    System.out.println("BT.2020 10-bit SDR -> BT.709: " + converted);
    assertWithinTolerance(converted);
    // relabelling (8 bits, BT.2020 code values read as BT.709) desaturates the bars: the measure can fail
    ColourError relabelled = ColourError.of(rgbAt(sdr, 1.0), rgbAt(relabelled(wide), 1.0));
    System.out.println("BT.2020 relabelled: " + relabelled);
    assertThat(relabelled.worstPatchDeltaE()).isGreaterThan(1.5 * MAX_PATCH_DELTA_E);
    assertThat(relabelled.meanRgb()).isGreaterThan(3 * MAX_MEAN_RGB_ERROR);
  }

  @Test
  void pqMasterOf400NitsIsToneMappedToItsOwnPeak() throws Exception {
    Path sdr = sdrBars(dir);
    // a 400 cd/m2 master: the SDR picture's white at 400 cd/m2, PQ, BT.2020, 10-bit HEVC
    String toPq = "zscale=tin=709:min=709:pin=709:rin=tv:t=linear:npl=400:p=709,format=gbrpf32le,"
        + "zscale=p=2020:t=smpte2084:m=2020_ncl:r=tv:npl=400,format=yuv420p10le";
    String masteringDisplay = "master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(4000000,50)";
    Path withCll = hevc10(sdr, dir.resolve("pq400-cll.mkv"), toPq, "bt2020", "smpte2084", "bt2020nc",
        ":max-cll=400,250:" + masteringDisplay);
    Path masteringOnly = hevc10(sdr, dir.resolve("pq400-mdcv.mkv"), toPq, "bt2020", "smpte2084", "bt2020nc",
        ":" + masteringDisplay);
    Path unsignalled = hevc10(sdr, dir.resolve("pq400-plain.mkv"), toPq, "bt2020", "smpte2084", "bt2020nc", "");
    // the three differ only in what they say of their peak: the pictures decode to the same samples
    assertThat(ColourError.of(rgbAt(withCll, 1.0), rgbAt(unsignalled, 1.0)).meanRgb()).isZero();

    Rgb original = rgbAt(sdr, 1.0);
    double[] white = new double[3];
    double[] bars = new double[3];
    Path[] sources = {withCll, masteringOnly, unsignalled};
    for (int i = 0; i < sources.length; i++) {
      Path clip = render(sources[i], "from-pq400-" + i + ".mp4");
      assertDeliveryColour(clip);
      Rgb out = rgbAt(clip, 0.5);
      // 100 % white (RGB 255) and the 75 % bars (RGB 191 in a channel): both above the roll-off's knee
      white[i] = out.meanWhere(original, 250, 255);
      bars[i] = out.meanWhere(original, 186, 196);
    }
    System.out.printf(Locale.ROOT, "PQ 400 cd/m2 master: white %.1f / %.1f / %.1f, 75%% bars %.1f / %.1f / %.1f"
        + " (MaxCLL 400 / mastering display 400 / nothing stated)%n", white[0], white[1], white[2], bars[0], bars[1],
        bars[2]);
    // its peak (white) lands on SDR white when stated, by MaxCLL or by the mastering display
    assertThat(white[0]).isGreaterThanOrEqualTo(251.0);
    assertThat(white[1]).isCloseTo(white[0], within(1.0));
    // without a stated peak the default 1000 cd/m2 is assumed: the same picture comes out darker
    assertThat(white[2]).isLessThan(white[0] - 3);
    assertThat(bars[2]).isLessThan(bars[0] - 1);
  }

  private static void assertWithinTolerance(ColourError e) {
    assertThat(e.meanRgb()).as("mean abs RGB error, %s", e).isLessThan(MAX_MEAN_RGB_ERROR);
    assertThat(e.meanDeltaE()).as("mean CIEDE2000 of the patches, %s", e).isLessThan(MAX_MEAN_DELTA_E);
    assertThat(e.worstPatchDeltaE()).as("worst patch CIEDE2000, %s", e).isLessThan(MAX_PATCH_DELTA_E);
  }

  /** What every clip declares: yuv420p, BT.709 primaries, transfer and matrix (container and bitstream), tv range. */
  private void assertDeliveryColour(Path clip) throws Exception {
    ClipInspector.Report r = inspector.inspect(clip);
    assertThat(r.pixelFormat()).isEqualTo("yuv420p");
    assertThat(List.of(r.primaries(), r.transfer(), r.matrix())).containsOnly("bt709");
    assertThat(r.frameColour()).isEqualTo("bt709/bt709/bt709");
    assertThat(r.decodeErrors()).isZero();
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile())) {
      g.start();
      AVCodecParameters p = g.getFormatContext().streams(g.getVideoStream()).codecpar();
      assertThat(p.color_range()).as("colour range").isEqualTo(avutil.AVCOL_RANGE_MPEG);
    }
  }

  private Path render(Path source, String name) throws Exception {
    Path clip = dir.resolve(name);
    renderer.render(source, 0.5, 2.5, ClipOptions.defaults(), List.of(), 1, clip, () -> {});
    return clip;
  }

  /** 3 s of SMPTE HD bars (75 % and 100 % primaries, greys), 640x360 25 fps, BT.709, lossless; a tone. */
  static Path sdrBars(Path dir) {
    return MediaFixtures.ffmpeg(dir.resolve("sdr-bars.mp4"),
        "-f", "lavfi", "-i", "smptehdbars=s=640x360:r=25:d=3",
        "-f", "lavfi", "-i", "sine=f=440:sample_rate=48000:d=3",
        "-vf", "format=yuv420p",
        "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-color_primaries", "bt709", "-color_trc", "bt709",
        "-colorspace", "bt709", "-c:a", "aac", "-ac", "2");
  }

  /** {@code source} through {@code filter} as lossless 10-bit HEVC with these colour tags and extra x265 params. */
  static Path hevc10(Path source, Path out, String filter, String primaries, String transfer, String matrix,
      String x265Params) {
    return MediaFixtures.ffmpeg(out, "-i", source.toString(), "-vf", filter,
        "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error:lossless=1" + x265Params,
        "-color_primaries", primaries, "-color_trc", transfer, "-colorspace", matrix, "-c:a", "copy");
  }

  /** The source's code values, 8 bits, labelled BT.709 (what a renderer without colour conversion makes). */
  private Path relabelled(Path source) {
    return MediaFixtures.ffmpeg(dir.resolve("relabelled-" + source.getFileName() + ".mp4"), "-i", source.toString(),
        "-vf", "scale=out_range=tv,format=yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0",
        "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709", "-an");
  }

  /** An 8-bit RGB picture (full range, as FFmpeg converts BT.709 tv range for display). */
  record Rgb(int width, int height, int[] px) {
    int at(int x, int y, int c) {
      return px[(y * width + x) * 3 + c];
    }

    /** Mean of this picture's channel values where {@code mask}'s same channel lies in [lo, hi]. */
    double meanWhere(Rgb mask, int lo, int hi) {
      long sum = 0;
      int n = 0;
      for (int i = 0; i < px.length; i++) {
        if (mask.px[i] >= lo && mask.px[i] <= hi) {
          sum += px[i];
          n++;
        }
      }
      assertThat(n).as("pixels in %d..%d", lo, hi).isGreaterThan(1000);
      return (double) sum / n;
    }
  }

  /**
   * How far a picture's colours are from a reference's.
   *
   * @param meanRgb mean absolute difference of the 8-bit RGB values, all pixels
   * @param meanDeltaE mean CIEDE2000 between the mean colours of the flat 16x16 patches
   * @param worstPatchDeltaE the largest of those
   * @param worstPatch where that patch is and its colours (reference -> picture)
   * @param patches how many flat patches the reference has
   */
  record ColourError(double meanRgb, double meanDeltaE, double worstPatchDeltaE, String worstPatch, int patches) {
    static final int PATCH = 16;

    static ColourError of(Rgb ref, Rgb out) {
      assertThat(out.width()).isEqualTo(ref.width());
      assertThat(out.height()).isEqualTo(ref.height());
      long sum = 0;
      for (int i = 0; i < ref.px().length; i++) {
        sum += Math.abs(ref.px()[i] - out.px()[i]);
      }
      double sumE = 0;
      double worst = 0;
      String worstAt = "";
      int patches = 0;
      for (int y0 = 0; y0 + PATCH <= ref.height(); y0 += PATCH) {
        for (int x0 = 0; x0 + PATCH <= ref.width(); x0 += PATCH) {
          double[] a = new double[3];
          double[] b = new double[3];
          boolean flat = true;
          for (int c = 0; c < 3 && flat; c++) {
            int lo = 255;
            int hi = 0;
            for (int y = y0; y < y0 + PATCH; y++) {
              for (int x = x0; x < x0 + PATCH; x++) {
                int v = ref.at(x, y, c);
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                a[c] += v;
                b[c] += out.at(x, y, c);
              }
            }
            flat = hi - lo <= 2;
          }
          if (!flat) {
            continue;
          }
          for (int c = 0; c < 3; c++) {
            a[c] /= PATCH * PATCH;
            b[c] /= PATCH * PATCH;
          }
          double e = deltaE2000(lab(a), lab(b));
          if (e > worst) {
            worstAt = String.format(Locale.ROOT, "(%d,%d) %.0f/%.0f/%.0f -> %.0f/%.0f/%.0f", x0, y0, a[0], a[1], a[2],
                b[0], b[1], b[2]);
          }
          sumE += e;
          worst = Math.max(worst, e);
          patches++;
        }
      }
      assertThat(patches).as("flat patches in the reference").isGreaterThan(100);
      return new ColourError((double) sum / ref.px().length, sumE / patches, worst, worstAt, patches);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "mean |dRGB| %.2f, CIEDE2000 mean %.2f worst %.2f (patch at %s) over %d patches",
          meanRgb, meanDeltaE, worstPatchDeltaE, worstPatch, patches);
    }

    /** CIELAB (D65) of 8-bit BT.709 RGB, decoded with the sRGB curve as a display shows it. */
    static double[] lab(double[] rgb) {
      double[] lin = new double[3];
      for (int c = 0; c < 3; c++) {
        double v = rgb[c] / 255;
        lin[c] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
      }
      double x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047;
      double y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
      double z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883;
      double fx = f(x);
      double fy = f(y);
      double fz = f(z);
      return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
    }

    private static double f(double t) {
      return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }

    /** CIEDE2000 (Sharma, Wu, Dalal 2005), kL = kC = kH = 1. */
    static double deltaE2000(double[] lab1, double[] lab2) {
      double c1 = Math.hypot(lab1[1], lab1[2]);
      double c2 = Math.hypot(lab2[1], lab2[2]);
      double cm = (c1 + c2) / 2;
      double g = 0.5 * (1 - Math.sqrt(Math.pow(cm, 7) / (Math.pow(cm, 7) + Math.pow(25, 7))));
      double a1 = (1 + g) * lab1[1];
      double a2 = (1 + g) * lab2[1];
      double cp1 = Math.hypot(a1, lab1[2]);
      double cp2 = Math.hypot(a2, lab2[2]);
      double h1 = cp1 == 0 ? 0 : Math.toDegrees(Math.atan2(lab1[2], a1));
      double h2 = cp2 == 0 ? 0 : Math.toDegrees(Math.atan2(lab2[2], a2));
      h1 = h1 < 0 ? h1 + 360 : h1;
      h2 = h2 < 0 ? h2 + 360 : h2;
      double dL = lab2[0] - lab1[0];
      double dC = cp2 - cp1;
      double dh = 0;
      if (cp1 * cp2 != 0) {
        dh = h2 - h1;
        dh = dh > 180 ? dh - 360 : dh < -180 ? dh + 360 : dh;
      }
      double dH = 2 * Math.sqrt(cp1 * cp2) * Math.sin(Math.toRadians(dh / 2));
      double lm = (lab1[0] + lab2[0]) / 2;
      double cpm = (cp1 + cp2) / 2;
      double hm = h1 + h2;
      if (cp1 * cp2 != 0) {
        hm = Math.abs(h1 - h2) <= 180 ? hm / 2 : h1 + h2 < 360 ? (hm + 360) / 2 : (hm - 360) / 2;
      }
      double t = 1 - 0.17 * Math.cos(Math.toRadians(hm - 30)) + 0.24 * Math.cos(Math.toRadians(2 * hm))
          + 0.32 * Math.cos(Math.toRadians(3 * hm + 6)) - 0.20 * Math.cos(Math.toRadians(4 * hm - 63));
      double dTheta = 30 * Math.exp(-Math.pow((hm - 275) / 25, 2));
      double rc = 2 * Math.sqrt(Math.pow(cpm, 7) / (Math.pow(cpm, 7) + Math.pow(25, 7)));
      double sl = 1 + 0.015 * Math.pow(lm - 50, 2) / Math.sqrt(20 + Math.pow(lm - 50, 2));
      double sc = 1 + 0.045 * cpm;
      double sh = 1 + 0.015 * cpm * t;
      double rt = -Math.sin(Math.toRadians(2 * dTheta)) * rc;
      return Math.sqrt(Math.pow(dL / sl, 2) + Math.pow(dC / sc, 2) + Math.pow(dH / sh, 2)
          + rt * (dC / sc) * (dH / sh));
    }
  }

  @Test
  void deltaE2000MatchesSharmasTestData() {
    // pairs 1, 7 and 17 of Sharma, Wu and Dalal's published test data
    assertThat(ColourError.deltaE2000(new double[] {50, 2.6772, -79.7751}, new double[] {50, 0, -82.7485}))
        .isCloseTo(2.0425, within(1e-4));
    assertThat(ColourError.deltaE2000(new double[] {50, 0, 0}, new double[] {50, -1, 2}))
        .isCloseTo(2.3669, within(1e-4));
    assertThat(ColourError.deltaE2000(new double[] {50, 2.5, 0}, new double[] {73, 25, -18}))
        .isCloseTo(27.1492, within(1e-4));
  }

  /**
   * The picture on screen at {@code sec}, as RGB decoded with the BT.709 matrix from tv range (what a player does
   * with a BT.709-tagged file; swscale's default would be BT.601).
   */
  static Rgb rgbAt(Path file, double sec) throws Exception {
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      g.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      g.start();
      Frame f;
      while ((f = g.grabImage()) != null) {
        if (f.timestamp / 1e6 + 1e-3 >= sec) {
          try (FFmpegFrameFilter toRgb = new FFmpegFrameFilter(
              "scale=in_color_matrix=bt709:in_range=tv:out_range=pc,format=rgb24", f.imageWidth, f.imageHeight)) {
            toRgb.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            toRgb.start();
            toRgb.push(f, avutil.AV_PIX_FMT_YUV420P);
            Frame rgb = toRgb.pullImage();
            ByteBuffer b = (ByteBuffer) rgb.image[0];
            int[] px = new int[rgb.imageWidth * rgb.imageHeight * 3];
            for (int y = 0; y < rgb.imageHeight; y++) {
              for (int x = 0; x < rgb.imageWidth * 3; x++) {
                px[y * rgb.imageWidth * 3 + x] = b.get(y * rgb.imageStride + x) & 255;
              }
            }
            return new Rgb(rgb.imageWidth, rgb.imageHeight, px);
          }
        }
      }
    }
    throw new AssertionError("no frame at " + sec + " s in " + file);
  }

  // ---- frame times --------------------------------------------------------------------------------------------

  /** Width of one bit of a counter picture; {@value #COUNTER_BITS} of them span its width. */
  static final int BIT_WIDTH = 32;
  static final int COUNTER_BITS = 10;
  /** Where a tone burst starts in each second of a counter source's audio. */
  static final double BURST_AT = 0.25;

  /**
   * A source whose every picture shows its own index in binary (bit b white or black across {@link #BIT_WIDTH}
   * columns at {@code b * BIT_WIDTH}), made at {@code rate} and retimed by {@code setpts} when not null; audio: a
   * 1 kHz burst of 100 ms at {@link #BURST_AT} s into every second, silence between.
   */
  private Path counterSource(String name, String rate, String setpts, double seconds) {
    String picture = "geq=lum='if(bitand(N,pow(2,floor(X/" + BIT_WIDTH + "))),235,16)':cb=128:cr=128";
    List<String> args = new ArrayList<>(List.of(
        "-f", "lavfi", "-i", "color=c=black:s=" + BIT_WIDTH * COUNTER_BITS + "x180:r=" + rate,
        "-f", "lavfi", "-i", String.format(Locale.ROOT,
            "aevalsrc='0.5*sin(2*PI*1000*t)*between(mod(t,1),%s,%s)':s=48000:d=%s", BURST_AT, BURST_AT + 0.1,
            seconds),
        "-vf", setpts == null ? picture : picture + ",setpts='" + setpts + "'",
        "-t", Double.toString(seconds), "-fps_mode", setpts == null ? "cfr" : "passthrough",
        "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-ac", "2", "-b:a", "128k"));
    if (setpts != null) {
      // a time base that holds every gap exactly
      args.addAll(List.of("-video_track_timescale", "120"));
    }
    return MediaFixtures.ffmpeg(dir.resolve(name), args.toArray(String[]::new));
  }

  /** The index each picture of {@code file} shows, with its time (s, from the container's start). */
  record Shown(int index, double sec) {}

  static List<Shown> shown(Path file) throws FrameGrabber.Exception {
    List<Shown> out = new ArrayList<>();
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      g.setPixelFormat(avutil.AV_PIX_FMT_GRAY8);
      g.start();
      long start = g.getFormatContext().start_time() == avutil.AV_NOPTS_VALUE ? 0 : g.getFormatContext().start_time();
      Frame f;
      while ((f = g.grabImage()) != null) {
        ByteBuffer b = (ByteBuffer) f.image[0];
        int index = 0;
        for (int bit = 0; bit < COUNTER_BITS; bit++) {
          // the bit's middle, away from edges blurred by the clip's encoding and scaling
          int x = (bit * BIT_WIDTH + BIT_WIDTH / 2) * f.imageWidth / (BIT_WIDTH * COUNTER_BITS);
          long sum = 0;
          for (int dy = -4; dy < 4; dy++) {
            for (int dx = -4; dx < 4; dx++) {
              sum += b.get((f.imageHeight / 2 + dy) * f.imageStride + x + dx) & 255;
            }
          }
          if (sum / 64 > 128) {
            index |= 1 << bit;
          }
        }
        out.add(new Shown(index, (f.timestamp - start) / 1e6));
      }
    }
    return out;
  }

  /**
   * How the clip's pictures keep the source's times: for clip frame k (source time start + k / fps) the source
   * picture on screen then is the last one that starts at or before it.
   *
   * @param exact frames showing exactly that picture
   * @param withinOneFrame frames showing a picture on screen at some time within one clip frame of it
   * @param frames the clip's frames
   * @param backwards frames showing an earlier picture than the frame before
   */
  record Timing(int exact, int withinOneFrame, int frames, int backwards) {
    static Timing of(List<Shown> source, List<Shown> clip, double startSec, double fps) {
      int exact = 0;
      int within = 0;
      int backwards = 0;
      for (int k = 0; k < clip.size(); k++) {
        double t = startSec + k / fps;
        int n = clip.get(k).index();
        int expected = 0;
        for (int i = 0; i < source.size(); i++) {
          if (source.get(i).sec() <= t + 1e-6) {
            expected = i;
          }
        }
        double from = source.get(n).sec();
        double to = n + 1 < source.size() ? source.get(n + 1).sec() : Double.MAX_VALUE;
        if (n == expected) {
          exact++;
        }
        if (from <= t + 1 / fps + 1e-6 && to >= t - 1 / fps - 1e-6) {
          within++;
        }
        if (k > 0 && n < clip.get(k - 1).index()) {
          backwards++;
        }
      }
      return new Timing(exact, within, clip.size(), backwards);
    }
  }

  @Test
  void variableFrameRateSourceLandsOnAConstantRateWithEachPictureAtItsTime() throws Exception {
    // pictures 1/24, 1/60 and 1/15 s apart in turn (on average 24 fps; r_frame_rate 120), as a phone or a screen
    // recorder writes them
    Path source = counterSource("vfr.mp4", "120",
        "(floor(N/3)*15+eq(mod(N,3),1)*5+eq(mod(N,3),2)*7)/(120*TB)", 4);
    List<Shown> pictures = shown(source);
    for (int i = 0; i < pictures.size(); i++) {
      assertThat(pictures.get(i).index()).as("source picture %d's counter", i).isEqualTo(i);
    }
    List<Double> gaps = new ArrayList<>();
    for (int i = 1; i < 4; i++) {
      gaps.add(pictures.get(i).sec() - pictures.get(i - 1).sec());
    }
    assertThat(gaps.get(0)).as("the source's gaps").isCloseTo(1.0 / 24, within(1e-5));
    assertThat(gaps.get(1)).as("the source's gaps").isCloseTo(1.0 / 60, within(1e-5));
    assertThat(gaps.get(2)).as("the source's gaps").isCloseTo(1.0 / 15, within(1e-5));

    Path clip = dir.resolve("from-vfr.mp4");
    double start = 0.55;
    double end = 3.55;
    ClipRenderer.Result r = renderer.render(source, start, end, ClipOptions.defaults(), List.of(), 1, clip, () -> {});
    // the standard rate nearest the source's average
    assertThat(r.fps()).isEqualTo(24.0);
    ClipInspector.Report report = inspector.inspect(clip);
    assertThat(report.fps()).isCloseTo(24.0, within(0.01));
    assertThat(report.videoFrames()).isEqualTo(72);
    assertThat(report.durationSec()).isCloseTo(3.0, within(1.0 / 24));
    assertThat(report.firstVideoSec()).isCloseTo(0.0, within(0.001));
    assertThat(report.audioSamples()).isCloseTo(3 * 48000L, within(1100L));

    List<Shown> frames = shown(clip);
    assertThat(frames).hasSize(72);
    for (int k = 0; k < frames.size(); k++) {
      assertThat(frames.get(k).sec()).as("clip frame %d's time", k).isCloseTo(k / 24.0, within(0.001));
    }
    Timing timing = Timing.of(pictures, frames, start, 24);
    System.out.println("VFR -> 24 fps: " + timing);
    assertThat(timing.withinOneFrame()).as("%s", timing).isEqualTo(72);
    assertThat(timing.backwards()).isZero();
    assertThat(timing.exact()).as("%s", timing).isEqualTo(72);

    // the tone bursts start where they did in the source (1.25, 2.25, 3.25 s): audio and pictures in sync
    List<Double> onsets = burstOnsets(clip);
    System.out.println("VFR clip burst onsets: " + onsets);
    assertThat(onsets).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(onsets.get(i)).isCloseTo(1 + i + BURST_AT - start, within(0.010));
    }
  }

  @Test
  void ntscAndPalRatesAreHalvedOnTheGridAndFilmRatesKept() throws Exception {
    for (String rate : List.of("60000/1001", "50", "24", "24000/1001")) {
      String[] q = rate.split("/");
      double in = Double.parseDouble(q[0]) / (q.length > 1 ? Double.parseDouble(q[1]) : 1);
      double expectedFps = in > 30 ? in / 2 : in;
      Path source = counterSource("cfr-" + rate.replace('/', '-') + ".mp4", rate, null, 3);
      Path clip = dir.resolve("from-cfr-" + rate.replace('/', '-') + ".mp4");
      // from a picture's start: "the picture at the clip frame's time" is then unambiguous
      double start = Math.round(0.5 * in) / in;
      ClipRenderer.Result r =
          renderer.render(source, start, start + 2, ClipOptions.defaults(), List.of(), 1, clip, () -> {});
      assertThat(r.fps()).as(rate).isCloseTo(expectedFps, within(1e-9));
      ClipInspector.Report report = inspector.inspect(clip);
      assertThat(report.fps()).as(rate).isCloseTo(expectedFps, within(0.001));
      long frames = Math.round(2 * expectedFps);
      assertThat(report.videoFrames()).as(rate).isEqualTo(frames);

      List<Shown> pictures = shown(source);
      List<Shown> out = shown(clip);
      Timing timing = Timing.of(pictures, out, start, expectedFps);
      System.out.println(rate + " -> " + expectedFps + ": " + timing);
      // every clip frame shows the source picture of its own time: decimation takes every other picture evenly
      assertThat(timing.exact()).as("%s %s", rate, timing).isEqualTo((int) frames);
      int step = in > 30 ? 2 : 1;
      for (int k = 1; k < out.size(); k++) {
        assertThat(out.get(k).index() - out.get(k - 1).index()).as("%s frame %d", rate, k).isEqualTo(step);
      }
    }
  }

  /** Times (s) where the clip's audio rises out of silence. */
  private static List<Double> burstOnsets(Path clip) throws FrameGrabber.Exception {
    List<Float> samples = new ArrayList<>();
    double first = Double.NaN;
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile())) {
      g.setSampleMode(FrameGrabber.SampleMode.FLOAT);
      g.setAudioChannels(1);
      g.setSampleRate(48000);
      g.start();
      long start = g.getFormatContext().start_time() == avutil.AV_NOPTS_VALUE ? 0 : g.getFormatContext().start_time();
      Frame f;
      while ((f = g.grabSamples()) != null) {
        if (f.samples == null) {
          continue;
        }
        if (Double.isNaN(first)) {
          first = (f.timestamp - start) / 1e6;
        }
        FloatBuffer b = (FloatBuffer) f.samples[0];
        for (int i = 0; i < b.limit(); i++) {
          samples.add(b.get(i));
        }
      }
    }
    float peak = 0;
    for (float s : samples) {
      peak = Math.max(peak, Math.abs(s));
    }
    List<Double> onsets = new ArrayList<>();
    int quietSince = 0;
    for (int i = 0; i < samples.size(); i++) {
      if (Math.abs(samples.get(i)) > 0.25 * peak) {
        // 50 ms of quiet before: a new burst
        if (i - quietSince > 2400) {
          onsets.add(first + i / 48000.0);
        }
        quietSince = i;
      }
    }
    return onsets;
  }
}

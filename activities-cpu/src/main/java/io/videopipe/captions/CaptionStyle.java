package io.videopipe.captions;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Where and how big burned-in captions are, per output frame: the one statement the burner draws by and QA looks at.
 * Sizes follow the frame: on a portrait (9:16) frame the captions sit higher, above the area that short-form apps
 * cover with their own controls. The font is Inter Bold (SIL Open Font License 1.1, {@code Inter-OFL.txt} beside it),
 * shipped inside the jar so a fresh machine needs no installed fonts.
 */
public final class CaptionStyle {
  /** At most this many lines on screen. */
  public static final int MAX_LINES = 2;
  static final double LINE_SPACING = 1.22;
  static final String FONT_RESOURCE = "Inter-Bold.ttf";

  private static volatile Font font;

  private CaptionStyle() {}

  /** The caption band of a frame: {@code [top, bottom)} rows and {@code [left, right)} columns of the safe area. */
  public record Band(int left, int top, int right, int bottom, float fontPx) {
    public int width() {
      return right - left;
    }

    public int height() {
      return bottom - top;
    }
  }

  public static Band band(int width, int height) {
    boolean portrait = height > width * 1.2;
    float fontPx = (float) Math.max(12, portrait ? width * 0.062 : Math.min(width, height) * 0.058);
    double side = portrait ? 0.08 : 0.075;
    // title-safe bottom on landscape and square frames; portrait keeps clear of the apps' bottom controls
    double bottomMargin = portrait ? 0.2 : 0.08;
    int bottom = (int) Math.round(height * (1 - bottomMargin));
    int bandHeight = (int) Math.ceil(fontPx * (LINE_SPACING * MAX_LINES + 0.5));
    int left = (int) Math.round(width * side);
    return new Band(left, Math.max(0, bottom - bandHeight), width - left, bottom, fontPx);
  }

  /** The bundled font at the given pixel size. */
  public static Font font(float px) {
    Font f = font;
    if (f == null) {
      try (InputStream in = CaptionStyle.class.getResourceAsStream(FONT_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("caption font " + FONT_RESOURCE + " is missing from the jar");
        }
        f = Font.createFont(Font.TRUETYPE_FONT, in);
        font = f;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (FontFormatException e) {
        throw new IllegalStateException("caption font " + FONT_RESOURCE + " does not load: " + e.getMessage(), e);
      }
    }
    return f.deriveFont(px);
  }
}

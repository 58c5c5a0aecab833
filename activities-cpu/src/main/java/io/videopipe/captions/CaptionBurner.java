package io.videopipe.captions;

import io.videopipe.transcribe.Word;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws word-timed captions into yuv420p pictures: the clip's words grouped into pages of at most two lines that fit
 * the safe area (a new page at a pause of {@value #PAUSE_SEC} s or after {@value #MAX_PAGE_SEC} s), each shown from
 * its first word's start to its last word's end; white with a dark outline, the spoken word optionally in yellow.
 * Each page state is rasterised once (Java2D, the bundled font) and blended into the luma and chroma planes of every
 * frame it covers. Not thread-safe: one burner per clip.
 */
public final class CaptionBurner {
  static final double PAUSE_SEC = 1.0;
  static final double MAX_PAGE_SEC = 4.0;
  static final Color FILL = Color.WHITE;
  static final Color SPOKEN = new Color(255, 214, 0);
  static final Color OUTLINE = new Color(0, 0, 0);

  /** One screenful: up to two lines of words, in seconds from the clip's start. */
  record Page(List<List<Word>> lines, double start, double end) {}

  /** A rasterised page state, converted to Y'CbCr with its coverage. */
  private record Overlay(int x, int y, int w, int h, byte[] alpha, byte[] luma, byte[] chromaAlpha, byte[] cb,
      byte[] cr) {}

  private final CaptionStyle.Band band;
  private final Font font;
  private final List<Page> pages;
  private final boolean highlightWord;
  private final Map<Long, Overlay> cache = new HashMap<>();

  /**
   * @param words the words of the clip, timed from the clip's start
   * @param width the picture's width
   * @param height the picture's height
   */
  public CaptionBurner(List<Word> words, int width, int height, boolean highlightWord) {
    this.band = CaptionStyle.band(width, height);
    this.font = CaptionStyle.font(band.fontPx());
    this.highlightWord = highlightWord;
    this.pages = paginate(words, metrics(font), band.width());
  }

  List<Page> pages() {
    return pages;
  }

  public CaptionStyle.Band band() {
    return band;
  }

  /** The captions' on-screen times, {start, end} in seconds from the clip's start: where QA expects text. */
  public List<double[]> shown() {
    return pages.stream().map(p -> new double[] {p.start(), p.end()}).toList();
  }

  private static FontMetrics metrics(Font font) {
    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = scratch.createGraphics();
    try {
      g.setFont(font);
      return g.getFontMetrics();
    } finally {
      g.dispose();
    }
  }

  static List<Page> paginate(List<Word> words, FontMetrics fm, int maxWidth) {
    List<Page> pages = new ArrayList<>();
    List<List<Word>> lines = new ArrayList<>();
    List<Word> line = new ArrayList<>();
    Word first = null;
    Word last = null;
    for (Word w : words) {
      if (w.text() == null || w.text().isBlank()) {
        continue;
      }
      boolean newPage = last != null && (w.start() - last.end() >= PAUSE_SEC || w.end() - first.start() > MAX_PAGE_SEC);
      if (!newPage && !line.isEmpty() && fm.stringWidth(text(line) + " " + w.text().strip()) > maxWidth) {
        if (lines.size() + 1 >= CaptionStyle.MAX_LINES) {
          newPage = true;
        } else {
          lines.add(line);
          line = new ArrayList<>();
        }
      }
      if (newPage) {
        if (!line.isEmpty()) {
          lines.add(line);
        }
        pages.add(new Page(lines, first.start(), last.end()));
        lines = new ArrayList<>();
        line = new ArrayList<>();
        first = null;
      }
      if (first == null) {
        first = w;
      }
      line.add(w);
      last = w;
    }
    if (!line.isEmpty()) {
      lines.add(line);
    }
    if (!lines.isEmpty()) {
      pages.add(new Page(lines, first.start(), last.end()));
    }
    return pages;
  }

  private static String text(List<Word> line) {
    StringBuilder b = new StringBuilder();
    for (Word w : line) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(w.text().strip());
    }
    return b.toString();
  }

  /**
   * Draws the captions due at {@code t} seconds into the picture's planes (8-bit yuv420p: luma rows {@code lumaStride}
   * apart, chroma planes at {@code uOffset}/{@code vOffset} with rows {@code chromaStride} apart). Returns whether
   * anything was drawn.
   */
  public boolean draw(double t, ByteBuffer data, int lumaStride, int chromaStride, int uOffset, int vOffset) {
    int page = -1;
    for (int i = 0; i < pages.size(); i++) {
      if (t >= pages.get(i).start() && t < pages.get(i).end()) {
        page = i;
        break;
      }
    }
    if (page < 0) {
      return false;
    }
    int spoken = -1;
    if (highlightWord) {
      int n = 0;
      for (List<Word> line : pages.get(page).lines()) {
        for (Word w : line) {
          if (t >= w.start()) {
            spoken = n;
          }
          n++;
        }
      }
    }
    long key = ((long) page << 20) | (spoken + 1);
    final int p = page;
    final int s = spoken;
    Overlay o = cache.computeIfAbsent(key, k -> rasterise(pages.get(p), s));
    blend(o, data, lumaStride, chromaStride, uOffset, vOffset);
    return true;
  }

  private Overlay rasterise(Page page, int spoken) {
    int w = band.width() + 2 * (int) band.fontPx();
    int h = band.height();
    int x0 = band.left() - (int) band.fontPx();
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setFont(font);
      FontMetrics fm = g.getFontMetrics();
      FontRenderContext frc = g.getFontRenderContext();
      float lineHeight = (float) (band.fontPx() * CaptionStyle.LINE_SPACING);
      List<List<Word>> lines = page.lines();
      // bottom-aligned: the last line's baseline sits at the band's bottom less the descent
      float baseline = h - fm.getDescent() - (lines.size() - 1) * lineHeight;
      g.setStroke(new BasicStroke(band.fontPx() * 0.16f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      int n = 0;
      for (List<Word> line : lines) {
        String text = text(line);
        float x = (w - fm.stringWidth(text)) / 2f;
        for (int i = 0; i < line.size(); i++) {
          String word = line.get(i).text().strip() + (i + 1 < line.size() ? " " : "");
          GlyphVector gv = font.createGlyphVector(frc, word);
          Shape shape = gv.getOutline();
          AffineTransform at = AffineTransform.getTranslateInstance(x, baseline);
          Shape placed = at.createTransformedShape(shape);
          g.setColor(OUTLINE);
          g.draw(placed);
          g.setColor(n == spoken ? SPOKEN : FILL);
          g.fill(placed);
          x += fm.stringWidth(word);
          n++;
        }
        baseline += lineHeight;
      }
    } finally {
      g.dispose();
    }
    return toYuv(img, x0, band.top());
  }

  /** BT.709 limited-range Y'CbCr of the overlay, with its alpha per luma and per chroma sample. */
  private static Overlay toYuv(BufferedImage img, int x0, int y0) {
    // even origin so chroma samples line up with the picture's
    int x = x0 & ~1;
    int y = y0 & ~1;
    int w = img.getWidth() & ~1;
    int h = img.getHeight() & ~1;
    byte[] alpha = new byte[w * h];
    byte[] luma = new byte[w * h];
    int cw = w / 2;
    int ch = h / 2;
    byte[] ca = new byte[cw * ch];
    byte[] cb = new byte[cw * ch];
    byte[] cr = new byte[cw * ch];
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    for (int j = 0; j < ch; j++) {
      for (int i = 0; i < cw; i++) {
        double sa = 0;
        double sr = 0;
        double sg = 0;
        double sb = 0;
        for (int dy = 0; dy < 2; dy++) {
          for (int dx = 0; dx < 2; dx++) {
            int idx = (2 * j + dy) * w + 2 * i + dx;
            int px = argb[idx];
            int a = px >>> 24;
            double r = (px >> 16) & 255;
            double gr = (px >> 8) & 255;
            double b = px & 255;
            alpha[idx] = (byte) a;
            luma[idx] = (byte) Math.round(16 + 219 * (0.2126 * r + 0.7152 * gr + 0.0722 * b) / 255);
            sa += a;
            sr += r * a;
            sg += gr * a;
            sb += b * a;
          }
        }
        int c = j * cw + i;
        ca[c] = (byte) Math.round(sa / 4);
        if (sa > 0) {
          double r = sr / sa;
          double gr = sg / sa;
          double b = sb / sa;
          cb[c] = (byte) Math.round(128 + 224 * (-0.1146 * r - 0.3854 * gr + 0.5 * b) / 255);
          cr[c] = (byte) Math.round(128 + 224 * (0.5 * r - 0.4542 * gr - 0.0458 * b) / 255);
        }
      }
    }
    return new Overlay(x, y, w, h, alpha, luma, ca, cb, cr);
  }

  private void blend(Overlay o, ByteBuffer data, int lumaStride, int chromaStride, int uOffset, int vOffset) {
    int pw = lumaStride;
    int ph = uOffset / lumaStride;
    for (int j = 0; j < o.h(); j++) {
      int py = o.y() + j;
      if (py < 0 || py >= ph) {
        continue;
      }
      for (int i = 0; i < o.w(); i++) {
        int px = o.x() + i;
        int a = o.alpha()[j * o.w() + i] & 255;
        if (a == 0 || px < 0 || px >= pw) {
          continue;
        }
        int at = py * lumaStride + px;
        int under = data.get(at) & 255;
        data.put(at, (byte) ((under * (255 - a) + (o.luma()[j * o.w() + i] & 255) * a + 127) / 255));
      }
    }
    int cw = o.w() / 2;
    for (int j = 0; j < o.h() / 2; j++) {
      int py = o.y() / 2 + j;
      if (py < 0 || py >= (ph + 1) / 2) {
        continue;
      }
      for (int i = 0; i < cw; i++) {
        int px = o.x() / 2 + i;
        int a = o.chromaAlpha()[j * cw + i] & 255;
        if (a == 0 || px < 0 || px >= chromaStride) {
          continue;
        }
        int u = uOffset + py * chromaStride + px;
        int v = vOffset + py * chromaStride + px;
        data.put(u, (byte) (((data.get(u) & 255) * (255 - a) + (o.cb()[j * cw + i] & 255) * a + 127) / 255));
        data.put(v, (byte) (((data.get(v) & 255) * (255 - a) + (o.cr()[j * cw + i] & 255) * a + 127) / 255));
      }
    }
  }
}

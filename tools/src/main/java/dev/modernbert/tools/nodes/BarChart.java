package dev.modernbert.tools.nodes;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A PNG of side-by-side panels, one per measure, each comparing two systems with two labelled bars on its own
 * scale (the measures have different units). Drawn with Java2D, headless.
 */
final class BarChart {
  static final int PANEL_WIDTH = 300;
  private static final int HEIGHT = 380;
  private static final Color OURS = new Color(0x1f77b4);
  private static final Color THEIRS = new Color(0xaaaaaa);

  /** One panel: a title, its unit and the two values. */
  record Panel(String title, String unit, double ours, double theirs) {}

  private BarChart() {}

  /** Draws {@code panels} under {@code title}, with the legend naming the two systems, into {@code png}. */
  static void write(Path png, String title, String oursName, String theirsName, List<Panel> panels) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(PANEL_WIDTH * panels.size(), HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), HEIGHT);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, 12, 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    legend(g, 12, 42, OURS, oursName);
    legend(g, 12 + 14 + g.getFontMetrics().stringWidth(oursName) + 24, 42, THEIRS, theirsName);
    for (int i = 0; i < panels.size(); i++) {
      panel(g, i * PANEL_WIDTH, panels.get(i));
    }
    g.dispose();
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageIO.write(image, "png", png.toFile());
  }

  private static void legend(Graphics2D g, int x, int y, Color color, String name) {
    g.setColor(color);
    g.fillRect(x, y - 10, 12, 12);
    g.setColor(Color.BLACK);
    g.drawString(name, x + 16, y);
  }

  private static void panel(Graphics2D g, int x0, Panel p) {
    int top = 90;
    int bottom = HEIGHT - 40;
    double max = Math.max(Math.max(p.ours(), p.theirs()), 1e-9);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    int y = 62;
    for (String line : lines(g.getFontMetrics(), p.title(), PANEL_WIDTH - 24)) {
      g.drawString(line, x0 + 12, y);
      y += 15;
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    double[] values = {p.ours(), p.theirs()};
    Color[] colors = {OURS, THEIRS};
    for (int b = 0; b < 2; b++) {
      int barX = x0 + 50 + b * 110;
      int h = (int) Math.round((bottom - top - 20) * values[b] / max);
      g.setColor(colors[b]);
      g.fillRect(barX, bottom - h, 80, h);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, values[b] >= 100 ? "%.0f" : "%.3g", values[b]), barX + 4, bottom - h - 6);
    }
    g.setStroke(new BasicStroke(1));
    g.drawLine(x0 + 40, bottom, x0 + PANEL_WIDTH - 20, bottom);
    g.drawString(p.unit(), x0 + 50, bottom + 20);
  }

  /** {@code text} broken at spaces into lines at most {@code width} pixels wide (a longer word gets its own line). */
  static List<String> lines(FontMetrics metrics, String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (!line.isEmpty() && metrics.stringWidth(candidate) > width) {
        lines.add(line.toString());
        line.setLength(0);
        line.append(word);
      } else {
        line.setLength(0);
        line.append(candidate);
      }
    }
    lines.add(line.toString());
    return lines;
  }
}

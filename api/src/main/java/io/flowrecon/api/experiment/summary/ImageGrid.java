package io.flowrecon.api.experiment.summary;

import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * An experiment's images side by side: one row per image, the columns truth, measurements, then each model's
 * reconstruction at one cell. Every tile is its image scaled by a whole factor (pixels stay square and sharp) to
 * {@link #TILE} pixels; a missing image (a job not finished, measurements that are not an image) is a grey tile.
 */
public final class ImageGrid {

    public static final int TILE = 96;
    public static final int GAP = 6;
    public static final int HEADER = 28;
    public static final int LABEL = 64;

    /** One row: its label and a PNG (or null) per column. */
    public record Row(String label, List<byte[]> tiles) {
    }

    private ImageGrid() {
    }

    /** Size of the grid for these columns and rows, in pixels: (width, height). */
    public static int[] size(int columns, int rows) {
        return new int[] {LABEL + columns * (TILE + GAP) + GAP, HEADER + rows * (TILE + GAP) + GAP};
    }

    public static byte[] png(List<String> columns, List<Row> rows) {
        int[] size = size(columns.size(), rows.size());
        BufferedImage canvas = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, size[0], size[1]);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics metrics = g.getFontMetrics();
            g.setColor(new Color(0x222222));
            for (int c = 0; c < columns.size(); c++) {
                String text = fit(columns.get(c), metrics, TILE);
                int x = LABEL + GAP + c * (TILE + GAP) + (TILE - metrics.stringWidth(text)) / 2;
                g.drawString(text, x, HEADER - 9);
            }
            for (int r = 0; r < rows.size(); r++) {
                int y = HEADER + r * (TILE + GAP);
                g.setColor(new Color(0x222222));
                g.drawString(fit(rows.get(r).label(), metrics, LABEL - 4), 4, y + TILE / 2 + 4);
                List<byte[]> tiles = rows.get(r).tiles();
                for (int c = 0; c < columns.size(); c++) {
                    int x = LABEL + GAP + c * (TILE + GAP);
                    byte[] tile = c < tiles.size() ? tiles.get(c) : null;
                    if (tile == null) {
                        g.setColor(new Color(0xcccccc));
                        g.fillRect(x, y, TILE, TILE);
                    } else {
                        g.drawImage(scaled(Png.decode(tile)), x, y, null);
                    }
                }
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(canvas, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory does not fail", e);
        }
        return out.toByteArray();
    }

    /** The image at a whole-number scale that fits the tile, centred on a white tile. */
    private static BufferedImage scaled(Image image) {
        int factor = Math.max(1, TILE / Math.max(image.height(), image.width()));
        BufferedImage tile = new BufferedImage(TILE, TILE, BufferedImage.TYPE_INT_RGB);
        int offsetY = (TILE - Math.min(TILE, image.height() * factor)) / 2;
        int offsetX = (TILE - Math.min(TILE, image.width() * factor)) / 2;
        for (int y = 0; y < TILE; y++) {
            for (int x = 0; x < TILE; x++) {
                int sy = (y - offsetY) / factor;
                int sx = (x - offsetX) / factor;
                int rgb = 0xffffff;
                if (y >= offsetY && x >= offsetX && sy < image.height() && sx < image.width()) {
                    int r = level(image.get(0, sy, sx));
                    int g = image.channels() == 3 ? level(image.get(1, sy, sx)) : r;
                    int b = image.channels() == 3 ? level(image.get(2, sy, sx)) : r;
                    rgb = (r << 16) | (g << 8) | b;
                }
                tile.setRGB(x, y, rgb);
            }
        }
        return tile;
    }

    private static int level(float value) {
        return Math.round(Math.min(1f, Math.max(0f, value)) * 255f);
    }

    private static String fit(String text, FontMetrics metrics, int width) {
        if (metrics.stringWidth(text) <= width) {
            return text;
        }
        String cut = text;
        while (cut.length() > 1 && metrics.stringWidth(cut + "...") > width) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "...";
    }
}

package io.flowrecon.trainer.bundle;

import io.flowrecon.shared.job.ImageShape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Lays out n images [n, C, H, W] in [0, 1] (values outside are clipped) as a grid of ceil(sqrt(n)) columns with
 * {@value #PAD} white pixels around and between them; grey for one channel, RGB for three.
 */
public final class SampleGrid {
    public static final int PAD = 2;

    private SampleGrid() {
    }

    public static int columns(int n) {
        return (int) Math.ceil(Math.sqrt(n));
    }

    public static int rows(int n) {
        return (n + columns(n) - 1) / columns(n);
    }

    public static BufferedImage render(float[] images, int n, ImageShape shape) {
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new IllegalArgumentException("sample: images must have 1 or 3 channels, got " + shape.channels());
        }
        int cols = columns(n);
        int rows = rows(n);
        int h = shape.height();
        int w = shape.width();
        BufferedImage out = new BufferedImage(cols * w + (cols + 1) * PAD, rows * h + (rows + 1) * PAD,
                shape.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, 0xFFFFFF);
            }
        }
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int x0 = PAD + (i % cols) * (w + PAD);
            int y0 = PAD + (i / cols) * (h + PAD);
            int base = i * shape.size();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = y * w + x;
                    int rgb;
                    if (shape.channels() == 1) {
                        int v = level(images[base + p]);
                        rgb = v << 16 | v << 8 | v;
                    } else {
                        rgb = level(images[base + p]) << 16 | level(images[base + plane + p]) << 8
                                | level(images[base + 2 * plane + p]);
                    }
                    out.setRGB(x0 + x, y0 + y, rgb);
                }
            }
        }
        return out;
    }

    public static void write(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    /** [0, 1] -> 0..255, clipped (NaN as 0). */
    private static int level(float v) {
        float c = Float.isNaN(v) ? 0 : Math.min(1f, Math.max(0f, v));
        return Math.round(c * 255f);
    }
}

package io.flowrecon.shared.image;

import io.flowrecon.shared.job.ImageShape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** JPEG and PNG files as 3-channel images in [0, 1] (grey files are repeated over R, G, B). */
public final class ImageFiles {
    private ImageFiles() {
    }

    /** The whole file. */
    public static Image readRgb(Path file) throws IOException {
        BufferedImage image = decode(file);
        return rgb(file, image, new CropBox(0, 0, image.getHeight(), image.getWidth()));
    }

    /** The crop box of the file; an {@link IOException} naming the file when the box does not fit. */
    public static Image readRgb(Path file, CropBox crop) throws IOException {
        return rgb(file, decode(file), crop);
    }

    /** Each value rounded to the nearest of the 256 levels k / 255, after clamping to [0, 1]: what a PNG stores. */
    public static Image roundTo8Bits(Image image) {
        float[] v = image.values();
        float[] out = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = Math.round(Math.min(1f, Math.max(0f, v[k])) * 255f) / 255f;
        }
        return new Image(image.shape(), out);
    }

    private static BufferedImage decode(Path file) throws IOException {
        BufferedImage image;
        try (InputStream in = Files.newInputStream(file)) {
            image = ImageIO.read(in);
        }
        if (image == null) {
            throw new IOException(file + ": not a JPEG or PNG image this JVM can read");
        }
        return image;
    }

    private static Image rgb(Path file, BufferedImage image, CropBox crop) throws IOException {
        if (crop.top() + crop.height() > image.getHeight() || crop.left() + crop.width() > image.getWidth()) {
            throw new IOException(file + ": crop box " + crop + " does not fit the " + image.getWidth() + "x"
                    + image.getHeight() + " image");
        }
        int h = crop.height();
        int w = crop.width();
        float[] out = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // getRGB converts any colour model to sRGB ints, packed 0xAARRGGBB
                int rgb = image.getRGB(crop.left() + x, crop.top() + y);
                out[y * w + x] = ((rgb >> 16) & 0xff) / 255f;
                out[(h + y) * w + x] = ((rgb >> 8) & 0xff) / 255f;
                out[(2 * h + y) * w + x] = (rgb & 0xff) / 255f;
            }
        }
        return new Image(new ImageShape(3, h, w), out);
    }
}

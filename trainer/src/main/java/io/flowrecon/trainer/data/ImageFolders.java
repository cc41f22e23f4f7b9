package io.flowrecon.trainer.data;

import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.ImageOps;
import io.flowrecon.shared.job.ImageShape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Reads a list of JPEG/PNG files into an 8-bit RGB {@link ImageDataset}: each file is cropped to a
 * {@link CropBox}, area-resized ({@link ImageOps#resizeArea}, no aliasing when shrinking) to size x size, and
 * rounded back to 8-bit levels, as a PIL-based pipeline stores its uint8 images before dequantisation.
 */
public final class ImageFolders {
    private ImageFolders() {
    }

    /**
     * Files named by number as CelebA names them: {@code first} .. {@code last} (inclusive), six digits, ".jpg"
     * (CelebA's split in issue 4: train 1..9000, test 9001..10000).
     */
    public static List<Path> numbered(Path folder, int first, int last) {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("file numbers must satisfy 0 <= first <= last, got " + first + ".."
                    + last);
        }
        return java.util.stream.IntStream.rangeClosed(first, last)
                .mapToObj(i -> folder.resolve(String.format("%06d.jpg", i)))
                .toList();
    }

    public static ImageDataset read(String name, List<Path> files, CropBox crop, int size) throws IOException {
        ImageShape shape = new ImageShape(3, size, size);
        byte[] pixels = new byte[files.size() * shape.size()];
        for (int i = 0; i < files.size(); i++) {
            Image resized = ImageOps.resizeArea(cropRgb(files.get(i), crop), size, size);
            float[] v = resized.values();
            for (int k = 0; k < v.length; k++) {
                pixels[i * shape.size() + k] = (byte) Math.round(Math.min(1f, Math.max(0f, v[k])) * 255f);
            }
        }
        return new ImageDataset(name, shape, pixels, null);
    }

    /** The crop box of one file as a 3-channel image in [0, 1] (grey files are repeated over R, G, B). */
    static Image cropRgb(Path file, CropBox crop) throws IOException {
        BufferedImage image = ImageIO.read(Files.newInputStream(file));
        if (image == null) {
            throw new IOException(file + ": not a JPEG or PNG image this JVM can read");
        }
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

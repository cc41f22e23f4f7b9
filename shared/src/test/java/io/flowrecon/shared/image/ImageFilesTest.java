package io.flowrecon.shared.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {

    /** A 4 wide x 3 high RGB PNG whose pixel (x, y) is (10x + y, 100 + y, 200 - x). */
    private static Path png(Path dir) throws IOException {
        BufferedImage image = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                image.setRGB(x, y, ((10 * x + y) << 16) | ((100 + y) << 8) | (200 - x));
            }
        }
        Path file = dir.resolve("grid.png");
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    @Test
    void readsPlanarRgbAndCropsTheBox(@TempDir Path dir) throws IOException {
        Path file = png(dir);
        Image whole = ImageFiles.readRgb(file);
        assertEquals(3, whole.shape().channels());
        assertEquals(3, whole.shape().height());
        assertEquals(4, whole.shape().width());
        // planar C x H x W: red of (x 2, y 1) at 0*12 + 1*4 + 2
        assertEquals(21 / 255f, whole.values()[4 + 2], 0);
        assertEquals(101 / 255f, whole.values()[12 + 4 + 2], 0);
        assertEquals(198 / 255f, whole.values()[24 + 4 + 2], 0);

        Image crop = ImageFiles.readRgb(file, new CropBox(1, 2, 2, 2));
        assertEquals(2, crop.shape().height());
        // the crop's (0, 0) is the file's (x 2, y 1)
        assertEquals(21 / 255f, crop.values()[0], 0);
    }

    @Test
    void aBoxOutsideTheImageNamesTheFile(@TempDir Path dir) throws IOException {
        Path file = png(dir);
        IOException e = assertThrows(IOException.class, () -> ImageFiles.readRgb(file, new CropBox(2, 0, 2, 4)));
        assertTrue(e.getMessage().contains("grid.png") && e.getMessage().contains("does not fit"), e.getMessage());
        Path text = Files.writeString(dir.resolve("not-an-image.png"), "hello");
        IOException bad = assertThrows(IOException.class, () -> ImageFiles.readRgb(text));
        assertTrue(bad.getMessage().contains("not-an-image.png"), bad.getMessage());
    }

    @Test
    void roundingTo8BitsClampsAndSnapsToLevels() {
        Image image = new Image(new io.flowrecon.shared.job.ImageShape(1, 1, 3), new float[] {-0.2f, 0.5f, 1.7f});
        float[] v = ImageFiles.roundTo8Bits(image).values();
        assertEquals(0f, v[0], 0);
        assertEquals(128 / 255f, v[1], 0);  // 127.5 rounds half up
        assertEquals(1f, v[2], 0);
    }
}

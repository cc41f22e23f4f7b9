package io.flowrecon.shared.image;

import io.flowrecon.shared.job.ImageShape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageOpsTest {

    /** Sums of a few float products; 1e-6 is far above their rounding error. */
    private static final float TOLERANCE = 1e-6f;

    @Test
    void imageRejectsWrongValueCount() {
        assertThrows(IllegalArgumentException.class, () -> new Image(new ImageShape(3, 2, 2), new float[11]));
    }

    @Test
    void centerCropTakesTheMiddle() {
        Image image = ramp(new ImageShape(2, 4, 5));
        Image crop = ImageOps.centerCrop(image, 2, 3);
        assertEquals(new ImageShape(2, 2, 3), crop.shape());
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 3; x++) {
                    assertEquals(image.get(c, y + 1, x + 1), crop.get(c, y, x));
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ImageOps.centerCrop(image, 5, 1));
    }

    @Test
    void areaResizeByTwoAveragesBlocks() {
        Image image = new Image(new ImageShape(1, 2, 4), new float[]{0f, 1f, 0.2f, 0.4f, 1f, 0f, 0.6f, 0.8f});
        Image small = ImageOps.resizeArea(image, 1, 2);
        assertArrayEquals(new float[]{0.5f, 0.5f}, small.values(), TOLERANCE);
    }

    @Test
    void areaResizeByFractionalFactorWeighsPartialCoverage() {
        // 3 -> 2: output 0 covers source [0, 1.5), output 1 covers [1.5, 3).
        Image image = new Image(new ImageShape(1, 1, 3), new float[]{0.3f, 0.6f, 0.9f});
        Image small = ImageOps.resizeArea(image, 1, 2);
        assertArrayEquals(new float[]{(0.3f + 0.3f) / 1.5f, (0.3f + 0.9f) / 1.5f}, small.values(), TOLERANCE);
    }

    @Test
    void areaResizePreservesTheMean() {
        Image image = ramp(new ImageShape(3, 17, 13));
        Image small = ImageOps.resizeArea(image, 5, 4);
        assertEquals(mean(image.values()), mean(small.values()), 1e-5);
    }

    @Test
    void bilinearUpsampleInterpolatesBetweenCentres() {
        Image image = new Image(new ImageShape(1, 1, 2), new float[]{0f, 1f});
        Image big = ImageOps.resizeBilinear(image, 1, 4);
        // Output centres map to source positions -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
        assertArrayEquals(new float[]{0f, 0.25f, 0.75f, 1f}, big.values(), TOLERANCE);
    }

    @Test
    void resizeToSameSizeIsIdentity() {
        Image image = ramp(new ImageShape(3, 6, 7));
        assertArrayEquals(image.values(), ImageOps.resizeArea(image, 6, 7).values(), TOLERANCE);
        assertArrayEquals(image.values(), ImageOps.resizeBilinear(image, 6, 7).values(), TOLERANCE);
    }

    @Test
    void cropAndResizeKeepsTheCentreOfAPortraitImage() {
        // 1 x 6 x 2 image, target 1 x 1: the centre 2 x 2 square (rows 2..3) is averaged.
        Image image = new Image(new ImageShape(1, 6, 2), new float[]{9, 9, 9, 9, 0.1f, 0.2f, 0.3f, 0.4f, 9, 9, 9, 9});
        Image out = ImageOps.cropAndResize(image, 1, 1);
        assertArrayEquals(new float[]{0.25f}, out.values(), TOLERANCE);
    }

    private static Image ramp(ImageShape shape) {
        float[] values = new float[shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 97) / 96f;
        }
        return new Image(shape, values);
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}

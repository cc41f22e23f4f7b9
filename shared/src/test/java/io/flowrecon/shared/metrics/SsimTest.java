package io.flowrecon.shared.metrics;

import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.job.ImageShape;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SsimTest {

    /**
     * The Java sums (double, separable valid filter) and scipy's (double, reflect-padded filter then
     * cropped) differ only in summation order: agreement to 1e-9 is expected; 1e-7 leaves margin.
     */
    private static final double REFERENCE_TOLERANCE = 1e-7;

    @Test
    void identicalImagesHaveSsimOne() {
        Image image = MetricImages.truth(new ImageShape(3, 16, 20));
        assertEquals(1.0, Ssim.compute(image, image), 1e-12);
    }

    @Test
    void constantImagesFollowTheLuminanceTermOnly() {
        // Constant a vs b: variances and covariance vanish, SSIM = (2ab + C1) / (a^2 + b^2 + C1).
        double a = 0.3;
        double b = 0.6;
        double c1 = 1e-4;
        Image truth = constant(new ImageShape(2, 12, 13), (float) a);
        Image estimate = constant(new ImageShape(2, 12, 13), (float) b);
        double expected = (2 * (float) a * (float) b + c1) / ((float) a * (float) a + (float) b * (float) b + c1);
        assertEquals(expected, Ssim.compute(truth, estimate), 1e-9);
    }

    @Test
    void matchesScipyReferenceOnColourImage() {
        ImageShape shape = new ImageShape(3, 16, 20);
        assertEquals(0.763450875944, Ssim.compute(MetricImages.truth(shape), MetricImages.estimate(shape)),
                REFERENCE_TOLERANCE);
    }

    @Test
    void matchesScipyReferenceOnSmallestAndTallImages() {
        ImageShape single = new ImageShape(1, 11, 11);
        assertEquals(0.852589852749, Ssim.compute(MetricImages.truth(single), MetricImages.estimate(single)),
                REFERENCE_TOLERANCE);
        ImageShape tall = new ImageShape(1, 32, 24);
        assertEquals(0.772111393632, Ssim.compute(MetricImages.truth(tall), MetricImages.estimate(tall)),
                REFERENCE_TOLERANCE);
    }

    @Test
    void rejectsImagesSmallerThanTheWindowOrOfDifferentShapes() {
        Image small = constant(new ImageShape(1, 10, 30), 0.5f);
        assertThrows(IllegalArgumentException.class, () -> Ssim.compute(small, small));
        assertThrows(IllegalArgumentException.class, () -> Ssim.compute(
                constant(new ImageShape(1, 12, 12), 0f), constant(new ImageShape(3, 12, 12), 0f)));
    }

    private static Image constant(ImageShape shape, float value) {
        float[] v = new float[shape.size()];
        Arrays.fill(v, value);
        return new Image(shape, v);
    }
}

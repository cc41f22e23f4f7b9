package io.flowrecon.shared.metrics;

import io.flowrecon.shared.job.ImageShape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PsnrTest {

    @Test
    void knownMseGivesKnownPsnr() {
        // Every value off by 0.1: MSE = 0.01 -> exactly 20 dB. Tolerance 1e-5 dB covers float storage of 0.1.
        float[] truth = {0.2f, 0.5f, 0.7f, 0.3f};
        float[] estimate = {0.3f, 0.4f, 0.8f, 0.2f};
        assertEquals(20.0, Psnr.compute(truth, estimate), 1e-5);
        assertEquals(0.01, Psnr.mse(truth, estimate), 1e-8);
    }

    @Test
    void identicalImagesHaveInfinitePsnr() {
        float[] truth = {0f, 0.25f, 1f};
        assertEquals(Double.POSITIVE_INFINITY, Psnr.compute(truth, truth.clone()));
    }

    @Test
    void estimateIsClippedBeforeComparing() {
        // 1.5 clips to 1 and -0.2 to 0: identical after clipping.
        assertEquals(Double.POSITIVE_INFINITY, Psnr.compute(new float[]{1f, 0f}, new float[]{1.5f, -0.2f}));
    }

    @Test
    void matchesNumpyReference() {
        // numpy reference (see MetricImages), 3x16x20: 19.662357468583 dB; 1e-6 dB allows float32 image storage.
        ImageShape shape = new ImageShape(3, 16, 20);
        assertEquals(19.662357468583, Psnr.compute(MetricImages.truth(shape).values(),
                MetricImages.estimate(shape).values()), 1e-6);
    }

    @Test
    void rejectsDifferentLengths() {
        assertThrows(IllegalArgumentException.class, () -> Psnr.compute(new float[3], new float[4]));
    }
}

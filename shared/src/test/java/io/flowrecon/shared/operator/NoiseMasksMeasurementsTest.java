package io.flowrecon.shared.operator;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.Problem;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoiseMasksMeasurementsTest {

    private static final ImageShape SHAPE = new ImageShape(3, 16, 12);

    @Test
    void noNoiseIsZeros() {
        assertArrayEquals(new float[5], NoiseSampler.sample(new Problem.Noise.None(), 5));
    }

    @Test
    void gaussianNormNoiseHasExactlyThatNorm() {
        float[] eta = NoiseSampler.sample(new Problem.Noise.GaussianNorm(0.1, 8), 750);
        // Float storage of each entry: relative error of the norm ~1e-7.
        assertEquals(0.1, Math.sqrt(DotProductCheck.dot(eta, eta)), 1e-7);
        assertArrayEquals(eta, NoiseSampler.sample(new Problem.Noise.GaussianNorm(0.1, 8), 750));
    }

    @Test
    void gaussianNoiseHasItsStandardDeviation() {
        int count = 20000;
        float[] eta = NoiseSampler.sample(new Problem.Noise.Gaussian(0.05, 3), count);
        double std = Math.sqrt(DotProductCheck.dot(eta, eta) / count);
        // Standard error of a std estimate: std / sqrt(2N) ~ 2.5e-4; five of them.
        assertEquals(0.05, std, 5 * 0.05 / Math.sqrt(2.0 * count));
        assertThrows(IllegalArgumentException.class,
                () -> NoiseSampler.sample(new Problem.Noise.Gaussian(-1, 3), 3));
    }

    @Test
    void centerBlockHidesTheCentre() {
        boolean[] observed = Masks.centerBlock(6, 8, 2);
        int missing = 0;
        for (int p = 0; p < observed.length; p++) {
            if (!observed[p]) {
                missing++;
                int y = p / 8;
                int x = p % 8;
                assertTrue(y >= 2 && y < 4 && x >= 3 && x < 5, "missing pixel outside the centre: " + y + "," + x);
            }
        }
        assertEquals(4, missing);
        assertThrows(IllegalArgumentException.class, () -> Masks.centerBlock(6, 8, 6));
        assertThrows(IllegalArgumentException.class, () -> Masks.centerBlock(6, 8, 0));
    }

    @Test
    void randomPixelsMissTheRequestedFraction() {
        boolean[] observed = Masks.randomPixels(100, 100, 0.3, 1);
        int missing = 0;
        for (boolean o : observed) {
            missing += o ? 0 : 1;
        }
        // Binomial(10000, 0.3): standard deviation ~46; five of them.
        assertEquals(3000, missing, 5 * Math.sqrt(10000 * 0.3 * 0.7));
        assertArrayEquals(observed, Masks.randomPixels(100, 100, 0.3, 1));
        assertThrows(IllegalArgumentException.class, () -> Masks.randomPixels(4, 4, 1.0, 1));
    }

    @Test
    void operatorsMatchTheProblemKind() {
        Problem.Noise none = new Problem.Noise.None();
        assertInstanceOf(IdentityOperator.class, Operators.create(new Problem.Denoising(none), SHAPE));
        MeasurementOperator gaussian = Operators.create(
                new Problem.CompressiveSensing(100, Problem.SensingOperator.GAUSSIAN, 1, none), SHAPE);
        assertInstanceOf(GaussianOperator.class, gaussian);
        assertEquals(100, gaussian.rows());
        assertEquals(SHAPE.size(), gaussian.cols());
        assertInstanceOf(SubsampledDctOperator.class, Operators.create(
                new Problem.CompressiveSensing(100, Problem.SensingOperator.SUBSAMPLED_DCT, 1, none), SHAPE));
        MeasurementOperator mask = Operators.create(
                new Problem.Inpainting(new Problem.Mask.CenterBlock(4), none), SHAPE);
        assertEquals(3 * (16 * 12 - 16), mask.rows());
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class, () -> Operators.create(
                new Problem.CompressiveSensing(SHAPE.size() + 1, Problem.SensingOperator.GAUSSIAN, 1, none), SHAPE));
        assertTrue(tooMany.getMessage().contains("problem.m"), tooMany.getMessage());
    }

    @Test
    void denoisingMeasurementsAreTheNoisyImage() {
        float[] truth = image(1);
        Problem.Noise noise = new Problem.Noise.Gaussian(0.1, 2);
        Measurements measured = Measurements.simulate(new Problem.Denoising(noise), truth, SHAPE);
        float[] eta = NoiseSampler.sample(noise, truth.length);
        for (int i = 0; i < truth.length; i++) {
            assertEquals(truth[i] + eta[i], measured.values()[i], 0f);
            assertEquals(Math.min(1f, Math.max(0f, truth[i] + eta[i])), measured.image().values()[i], 0f);
        }
    }

    @Test
    void compressiveSensingHasNoImageAndTheRightResidualNorm() {
        float[] truth = image(2);
        Problem problem = new Problem.CompressiveSensing(200, Problem.SensingOperator.GAUSSIAN, 5,
                new Problem.Noise.GaussianNorm(0.1, 6));
        Measurements measured = Measurements.simulate(problem, truth, SHAPE);
        assertNull(measured.image());
        assertFalse(measured.displayImage().isPresent());
        float[] clean = new float[200];
        measured.operator().apply(truth, clean);
        double residual = 0;
        for (int i = 0; i < clean.length; i++) {
            double d = measured.values()[i] - clean[i];
            residual += d * d;
        }
        // y - A x = eta exactly up to float rounding of y (|y| ~ 5, ulp ~ 5e-7 per entry).
        assertEquals(0.1, Math.sqrt(residual), 1e-4);
    }

    @Test
    void inpaintingMasksTheNoisyImage() {
        float[] truth = image(3);
        Problem.Noise noise = new Problem.Noise.Gaussian(0.05, 4);
        Problem problem = new Problem.Inpainting(new Problem.Mask.CenterBlock(4), noise);
        Measurements measured = Measurements.simulate(problem, truth, SHAPE);
        float[] eta = NoiseSampler.sample(noise, truth.length);
        int[] indices = ((MaskOperator) measured.operator()).observedIndices();
        for (int k = 0; k < indices.length; k++) {
            assertEquals(truth[indices[k]] + eta[indices[k]], measured.values()[k], 0f);
        }
        assertNotNull(measured.image());
        // The centre pixel of channel 0 is missing and drawn black.
        assertEquals(0f, measured.image().get(0, 8, 6));
    }

    private static float[] image(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[SHAPE.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        return x;
    }
}

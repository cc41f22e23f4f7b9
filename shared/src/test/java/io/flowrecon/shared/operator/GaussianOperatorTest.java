package io.flowrecon.shared.operator;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class GaussianOperatorTest {

    @Test
    void entriesHaveMeanZeroAndVarianceOneOverM() {
        int m = 100;
        int n = 1000;
        float[] a = new GaussianOperator(m, n, 42).matrix();
        double sum = 0;
        double sumSquares = 0;
        for (float v : a) {
            sum += v;
            sumSquares += (double) v * v;
        }
        int count = a.length;
        double mean = sum / count;
        double variance = sumSquares / count - mean * mean;
        double sigma = 1.0 / Math.sqrt(m);
        // Five standard errors: mean has sigma / sqrt(N), the variance estimate sigma^2 sqrt(2 / N).
        assertEquals(0.0, mean, 5 * sigma / Math.sqrt(count));
        assertEquals(1.0 / m, variance, 5 * sigma * sigma * Math.sqrt(2.0 / count));
    }

    @Test
    void sameSeedSameMatrixOtherSeedOtherMatrix() {
        float[] first = new GaussianOperator(20, 30, 7).matrix();
        assertArrayEquals(first, new GaussianOperator(20, 30, 7).matrix(), 0f);
        assertFalse(java.util.Arrays.equals(first, new GaussianOperator(20, 30, 8).matrix()));
    }

    @Test
    void matrixIsRowMajorAndMatchesTheProducts() {
        int m = 7;
        int n = 19;
        GaussianOperator op = new GaussianOperator(m, n, 3);
        float[] a = op.matrix();
        float[] x = DotProductCheck.gaussian(new SplittableRandom(1), n);
        float[] y = new float[m];
        op.apply(x, y);
        for (int i = 0; i < m; i++) {
            double expected = 0;
            for (int j = 0; j < n; j++) {
                expected += (double) a[i * n + j] * x[j];
            }
            // 19 float products: rounding well under 1e-5 absolute for O(1) values.
            assertEquals(expected, y[i], 1e-5);
        }
        // The entry order documented in the class: draw i * n + j of SplittableRandom(seed), over sqrt(m).
        SplittableRandom random = new SplittableRandom(3);
        for (int k = 0; k < n + 2; k++) {
            assertEquals((float) (random.nextGaussian() / Math.sqrt(m)), a[k], 0f);
        }
    }
}

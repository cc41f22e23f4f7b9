package io.flowrecon.shared.operator;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adjoint test: for random x and y, <A x, y> must equal <x, A^T y>. */
final class DotProductCheck {

    /**
     * Float products summed over up to ~10^4 terms carry relative rounding near 1e-6 of the sum of
     * magnitudes; the inner products here are O(sqrt(n)) against magnitudes O(n), so 1e-5 is tight
     * enough to catch any wrong index or scale, loose enough for float arithmetic.
     */
    static final double RELATIVE_TOLERANCE = 1e-5;

    private DotProductCheck() {
    }

    static void assertAdjoint(MeasurementOperator op, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 3; trial++) {
            float[] x = gaussian(random, op.cols());
            float[] y = gaussian(random, op.rows());
            float[] ax = new float[op.rows()];
            float[] aty = new float[op.cols()];
            op.apply(x, ax);
            op.adjoint(y, aty);
            double left = dot(ax, y);
            double right = dot(x, aty);
            double scale = Math.max(Math.abs(left), Math.abs(right));
            assertTrue(scale > 0, "degenerate dot-product test for " + op.describe());
            assertEquals(0.0, (left - right) / scale, RELATIVE_TOLERANCE,
                    op.describe() + ": <Ax, y> = " + left + " but <x, A^T y> = " + right);
        }
    }

    static float[] gaussian(SplittableRandom random, int length) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    static double dot(float[] a, float[] b) {
        double sum = 0.0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}

package io.flowrecon.shared.operator;

import java.util.SplittableRandom;

/**
 * Dense compressive-sensing matrix with i.i.d. N(0, 1/m) entries (the paper's A), generated from
 * a seed so that it never travels over the wire: entry (i, j) is the (i * n + j)-th draw of
 * {@code new SplittableRandom(seed).nextGaussian()}, divided by sqrt(m).
 *
 * <p>Products are the hot loop of the Lasso solver, so they are written for the JIT: the forward
 * product keeps several independent partial sums per row (float adds cannot be reordered by
 * the compiler), the transposed product is a sequence of row axpys, which the JIT vectorises.
 */
public final class GaussianOperator implements MeasurementOperator {

    private final int m;
    private final int n;
    private final long seed;
    private final float[] matrix;

    public GaussianOperator(int m, int n, long seed) {
        if (m <= 0 || n <= 0) {
            throw new IllegalArgumentException("gaussian operator: m and n must be positive, got m=" + m + ", n=" + n);
        }
        if ((long) m * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("gaussian operator: m * n = " + (long) m * n
                    + " entries do not fit one array; use the subsampled-dct operator for large images");
        }
        this.m = m;
        this.n = n;
        this.seed = seed;
        this.matrix = new float[m * n];
        SplittableRandom random = new SplittableRandom(seed);
        double scale = 1.0 / Math.sqrt(m);
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = (float) (random.nextGaussian() * scale);
        }
    }

    @Override
    public int rows() {
        return m;
    }

    @Override
    public int cols() {
        return n;
    }

    public long seed() {
        return seed;
    }

    /**
     * The matrix itself, row-major m x n (entry (i, j) at {@code i * n + j}), for binding as an
     * ONNX initialiser. Not a copy (it is large): callers must not modify it.
     */
    public float[] matrix() {
        return matrix;
    }

    @Override
    public void apply(float[] x, float[] y) {
        OperatorChecks.lengths(this, x, n, y, m);
        int unrolled = n & ~7;
        for (int i = 0; i < m; i++) {
            int row = i * n;
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
            int j = 0;
            for (; j < unrolled; j += 8) {
                s0 += matrix[row + j] * x[j];
                s1 += matrix[row + j + 1] * x[j + 1];
                s2 += matrix[row + j + 2] * x[j + 2];
                s3 += matrix[row + j + 3] * x[j + 3];
                s4 += matrix[row + j + 4] * x[j + 4];
                s5 += matrix[row + j + 5] * x[j + 5];
                s6 += matrix[row + j + 6] * x[j + 6];
                s7 += matrix[row + j + 7] * x[j + 7];
            }
            for (; j < n; j++) {
                s0 += matrix[row + j] * x[j];
            }
            y[i] = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        }
    }

    @Override
    public void adjoint(float[] y, float[] x) {
        OperatorChecks.lengths(this, y, m, x, n);
        java.util.Arrays.fill(x, 0f);
        for (int i = 0; i < m; i++) {
            float yi = y[i];
            if (yi == 0f) {
                continue;
            }
            int row = i * n;
            for (int j = 0; j < n; j++) {
                x[j] += yi * matrix[row + j];
            }
        }
    }

    @Override
    public String describe() {
        return "gaussian(m=" + m + ", n=" + n + ", seed=" + seed + ")";
    }
}

package io.flowrecon.shared.operator;

import io.flowrecon.shared.job.ImageShape;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Matrix-free compressive sensing for large n: y = sqrt(n/m) * S C D x, with D a diagonal of
 * random signs, C the orthonormal 2-D DCT-II of each channel, S the selection of m distinct
 * random coefficients. C is orthogonal and S S^T = I, so A A^T = (n/m) I: the same scaling as a
 * Gaussian N(0, 1/m) matrix in expectation (E[A^T A] = I), in O(n log n) per product.
 *
 * <p>From the seed: first n signs, then the m indices (a partial Fisher-Yates shuffle), sorted.
 */
public final class SubsampledDctOperator implements MeasurementOperator {

    private final ImageShape shape;
    private final int m;
    private final long seed;
    private final float[] signs;
    private final int[] selected;
    private final float scale;
    private final ChannelDct dct;

    public SubsampledDctOperator(ImageShape shape, int m, long seed) {
        int n = shape.size();
        if (m <= 0 || m > n) {
            throw new IllegalArgumentException("subsampled-dct operator: m must be in [1, n=" + n + "], got " + m);
        }
        this.shape = shape;
        this.m = m;
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        this.signs = new float[n];
        for (int i = 0; i < n; i++) {
            signs[i] = random.nextBoolean() ? 1f : -1f;
        }
        int[] permutation = new int[n];
        for (int i = 0; i < n; i++) {
            permutation[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + random.nextInt(n - i);
            int t = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = t;
        }
        this.selected = Arrays.copyOf(permutation, m);
        Arrays.sort(selected);
        this.scale = (float) Math.sqrt((double) n / m);
        this.dct = new ChannelDct(shape);
    }

    @Override
    public int rows() {
        return m;
    }

    @Override
    public int cols() {
        return shape.size();
    }

    public ImageShape shape() {
        return shape;
    }

    /** Copy of the selected coefficient indices (flat CHW index into the per-channel DCT), ascending. */
    public int[] selectedIndices() {
        return selected.clone();
    }

    /** Copy of the random signs D, length n. */
    public float[] signs() {
        return signs.clone();
    }

    @Override
    public void apply(float[] x, float[] y) {
        OperatorChecks.lengths(this, x, cols(), y, m);
        float[] work = new float[x.length];
        for (int i = 0; i < work.length; i++) {
            work[i] = signs[i] * x[i];
        }
        dct.forward(work);
        for (int k = 0; k < m; k++) {
            y[k] = scale * work[selected[k]];
        }
    }

    @Override
    public void adjoint(float[] y, float[] x) {
        OperatorChecks.lengths(this, y, m, x, cols());
        Arrays.fill(x, 0f);
        for (int k = 0; k < m; k++) {
            x[selected[k]] = scale * y[k];
        }
        // The orthonormal inverse DCT is the transpose of the orthonormal forward DCT.
        dct.inverse(x);
        for (int i = 0; i < x.length; i++) {
            x[i] *= signs[i];
        }
    }

    @Override
    public String describe() {
        return "subsampled-dct(m=" + m + ", n=" + shape.size() + ", shape=" + shape + ", seed=" + seed + ")";
    }
}

package io.flowrecon.worker.solve.lasso;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.operator.ChannelDct;
import io.flowrecon.shared.operator.GaussianOperator;
import io.flowrecon.shared.operator.IdentityOperator;
import io.flowrecon.shared.operator.MaskOperator;
import io.flowrecon.shared.operator.Masks;
import io.flowrecon.shared.operator.SubsampledDctOperator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperatorNormTest {

    @Test
    void structuredOperatorsHaveExactNorms() {
        ImageShape shape = new ImageShape(3, 8, 8);
        assertEquals(new OperatorNorm(1.0, 0), OperatorNorm.of(new IdentityOperator(shape.size()), 1));
        assertEquals(new OperatorNorm(1.0, 0), OperatorNorm.of(new MaskOperator(Masks.centerBlock(8, 8, 2), shape), 1));
        assertEquals(shape.size() / 48.0, OperatorNorm.of(new SubsampledDctOperator(shape, 48, 2), 1).squaredNorm(), 0.0);
    }

    @Test
    void powerIterationBoundsTheGaussianNormFromAboveByAtMostTheMargin() {
        int m = 20;
        int n = 64;
        GaussianOperator a = new GaussianOperator(m, n, 11);
        double exact = largestEigenvalueOfGram(a.matrix(), m, n);
        OperatorNorm estimate = OperatorNorm.of(a, 3);
        // The estimate must not be below ||A||^2 (FISTA's step would be too long) and at most the
        // safety margin above it (plus the 1e-4 convergence tolerance of the power iteration).
        assertTrue(estimate.squaredNorm() >= exact, estimate + " vs exact " + exact);
        assertTrue(estimate.squaredNorm() <= exact * OperatorNorm.SAFETY_MARGIN * (1 + 1e-4), estimate + " vs exact " + exact);
        assertTrue(estimate.pairs() > 0);
    }

    @Test
    void channelDctMatchesTheDctIiFormula() {
        // Pins the basis convention the Lasso objective depends on (rows = height, scaling = orthonormal).
        int height = 6;
        int width = 5;
        double[][] basis = DctBasis.inverseBasis(height, width);
        ChannelDct dct = new ChannelDct(new ImageShape(1, height, width));
        for (int j = 0; j < height * width; j++) {
            float[] coefficients = new float[height * width];
            coefficients[j] = 1f;
            dct.inverse(coefficients);
            for (int p = 0; p < coefficients.length; p++) {
                // Float transform of a unit vector: 1e-6 absolute.
                assertEquals(basis[j][p], coefficients[p], 1e-6, "coefficient " + j + ", pixel " + p);
            }
        }
    }

    /** Largest eigenvalue of A A^T (m x m) in double, by many power iterations; small m keeps the gap wide. */
    private static double largestEigenvalueOfGram(float[] a, int m, int n) {
        double[][] gram = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < m; k++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += (double) a[i * n + j] * a[k * n + j];
                }
                gram[i][k] = s;
            }
        }
        double[] v = new double[m];
        java.util.Arrays.fill(v, 1.0);
        double lambda = 0;
        for (int it = 0; it < 20000; it++) {
            double[] next = new double[m];
            for (int i = 0; i < m; i++) {
                for (int k = 0; k < m; k++) {
                    next[i] += gram[i][k] * v[k];
                }
            }
            double norm = 0;
            for (double x : next) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) {
                v[i] = next[i] / norm;
            }
            lambda = norm;
        }
        return lambda;
    }
}

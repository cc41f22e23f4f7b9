package io.flowrecon.worker.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Theorem 1 of Asim et al. (ICML 2020): for a linear invertible G = U diag(s) V^T and noiseless Gaussian
 * measurements y = A G z0 with m < n, gradient methods on ||A G z - y||^2 started at z0 = 0 converge to the
 * minimum-norm solution, whose expected error over A and z0 ~ N(0, I) satisfies
 * sum_{i>m} s_i^2 <= E||G z_hat - G z0||^2 <= m sum_{i>m-2} s_i^2.
 */
class TheoremOneTest {

    private static final int N = 16;
    private static final int M = 6;
    private static final int TRIALS = 200;

    @Test
    void lbfgsFromZeroReachesTheMinimumNormSolutionAndTheErrorLiesWithinTheBounds() {
        LinearPrior prior = new LinearPrior(N, 0.75, 1);
        SplittableRandom random = new SplittableRandom(2);
        double sumSquaredError = 0;
        double worstDeviation = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            double[][] a = LinearPrior.gaussian(M, N, 1 / Math.sqrt(M), random);
            double[][] ag = LinearPrior.multiply(a, prior.matrix);
            double[] z0 = new double[N];
            for (int i = 0; i < N; i++) {
                z0[i] = random.nextGaussian();
            }
            double[] y = LinearPrior.apply(ag, z0);

            float[] zHat = solveFromZero(ag, y);
            double[] minimumNorm = LinearPrior.minimumNormSolution(ag, y);

            double deviation = 0;
            double reference = 0;
            for (int i = 0; i < N; i++) {
                deviation += (zHat[i] - minimumNorm[i]) * (zHat[i] - minimumNorm[i]);
                reference += minimumNorm[i] * minimumNorm[i];
            }
            worstDeviation = Math.max(worstDeviation, Math.sqrt(deviation / reference));

            double[] x0 = LinearPrior.apply(prior.matrix, z0);
            double[] xHat = LinearPrior.apply(prior.matrix, toDouble(zHat));
            for (int i = 0; i < N; i++) {
                sumSquaredError += (xHat[i] - x0[i]) * (xHat[i] - x0[i]);
            }
        }
        // float32 L-BFGS on a system of condition ~ (s_1/s_m)^2 ~ 20: 1e-3 relative is far above its round-off.
        assertTrue(worstDeviation < 1e-3, "L-BFGS from 0 deviates from the minimum-norm solution by " + worstDeviation);
        double mse = sumSquaredError / TRIALS;
        assertTrue(mse >= prior.lowerBound(M), "E||x_hat - x0||^2 = " + mse + " below sum_{i>m} s_i^2 = " + prior.lowerBound(M));
        assertTrue(mse <= prior.upperBound(M), "E||x_hat - x0||^2 = " + mse + " above m sum_{i>m-2} s_i^2 = " + prior.upperBound(M));
    }

    @Test
    void aNonZeroStartDoesNotReachTheMinimumNormSolution() {
        // The zero start is what makes the limit the minimum-norm solution: from elsewhere the iterates keep
        // the start's component in the null space of A G. This pins that the test above can fail.
        LinearPrior prior = new LinearPrior(N, 0.75, 1);
        SplittableRandom random = new SplittableRandom(3);
        double[][] ag = LinearPrior.multiply(LinearPrior.gaussian(M, N, 1 / Math.sqrt(M), random), prior.matrix);
        double[] y = LinearPrior.apply(ag, new double[] {1, -1, 0.5, 0, 2, 1, 0, 0, 1, 1, -1, 0, 0, 1, 0, 1});
        float[] start = LbfgsTest.randomVector(N, 4);
        float[] zHat = run(ag, y, start);
        double[] minimumNorm = LinearPrior.minimumNormSolution(ag, y);
        double deviation = 0;
        for (int i = 0; i < N; i++) {
            deviation += (zHat[i] - minimumNorm[i]) * (zHat[i] - minimumNorm[i]);
        }
        assertTrue(Math.sqrt(deviation) > 0.1, "deviation " + Math.sqrt(deviation));
        assertEquals(0, residual(ag, y, zHat), 1e-4);
    }

    private static float[] solveFromZero(double[][] ag, double[] y) {
        return run(ag, y, new float[N]);
    }

    private static float[] run(double[][] ag, double[] y, float[] start) {
        BatchObjective objective = new BatchObjective() {
            public int batch() {
                return 1;
            }

            public int dimension() {
                return N;
            }

            public void evaluate(float[] z, double[] losses, float[] gradients) {
                double[] r = LinearPrior.apply(ag, toDouble(z));
                double loss = 0;
                for (int i = 0; i < r.length; i++) {
                    r[i] -= y[i];
                    loss += r[i] * r[i];
                }
                losses[0] = loss;
                for (int k = 0; k < N; k++) {
                    double g = 0;
                    for (int i = 0; i < r.length; i++) {
                        g += 2 * ag[i][k] * r[i];
                    }
                    gradients[k] = (float) g;
                }
            }
        };
        Lbfgs lbfgs = new Lbfgs(LbfgsSettings.torchDefaults(1).withStrongWolfe(true), objective, start);
        for (int step = 0; step < 10; step++) {
            if (lbfgs.step().allFinal()) {
                break;
            }
        }
        return lbfgs.latents();
    }

    private static double residual(double[][] ag, double[] y, float[] z) {
        double[] r = LinearPrior.apply(ag, toDouble(z));
        double sum = 0;
        for (int i = 0; i < r.length; i++) {
            sum += (r[i] - y[i]) * (r[i] - y[i]);
        }
        return Math.sqrt(sum);
    }

    static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}

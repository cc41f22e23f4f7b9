package io.flowrecon.worker.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.operator.GaussianOperator;
import io.flowrecon.worker.optim.Lbfgs;
import io.flowrecon.worker.optim.LbfgsSettings;
import io.flowrecon.worker.optim.LinearPrior;
import io.flowrecon.worker.runtime.RuntimeConfig;
import io.flowrecon.worker.runtime.SessionFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Theorem 1 of Asim et al. (ICML 2020) through the real engine: G a single MatMul graph, A the seeded Gaussian
 * operator bound into the objective session, the gradient from the adjoint builder, L-BFGS from z0 = 0.
 * The plain-Java twin is {@code io.flowrecon.worker.optim.TheoremOneTest}.
 */
class TheoremOneOnnxTest {

    private static final int N = 16;
    private static final int M = 6;
    private static final int TRIALS = 60;

    @Test
    void zeroStartThroughOnnxReachesTheMinimumNormSolutionWithinThePaperBounds() {
        LinearPrior linear = new LinearPrior(N, 0.75, 1);
        float[] g = new float[N * N];
        for (int r = 0; r < N; r++) {
            for (int c = 0; c < N; c++) {
                g[r * N + c] = (float) linear.matrix[r][c];
            }
        }
        Prior prior = ToyPriors.linearGenerator(g, N);
        ImageShape shape = prior.shape();
        SessionFactory factory = SessionFactory.create(RuntimeConfig.cpu(1));
        SplittableRandom random = new SplittableRandom(2);
        double sumSquaredError = 0;
        double worstDeviation = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            GaussianOperator a = new GaussianOperator(M, N, 1000 + trial);
            double[] z0 = new double[N];
            for (int i = 0; i < N; i++) {
                z0[i] = random.nextGaussian();
            }
            double[] x0 = LinearPrior.apply(linear.matrix, z0);
            float[] x0f = new float[N];
            for (int i = 0; i < N; i++) {
                x0f[i] = (float) x0[i];
            }
            float[] y = new float[M];
            a.apply(x0f, y);

            float[] zHat;
            try (ObjectiveSession session = ObjectiveSession.open(factory, prior, OperatorGraph.of(a, shape), 1, 0,
                    AdjointBuilder.standard());
                 BoundObjective objective = session.bind(new float[][] {y})) {
                Lbfgs lbfgs = new Lbfgs(LbfgsSettings.torchDefaults(1).withStrongWolfe(true), objective, new float[N]);
                for (int step = 0; step < 10 && !lbfgs.step().allFinal(); step++) {
                    // steps until first-order optimal
                }
                zHat = lbfgs.latents();
            }

            double[][] ag = LinearPrior.multiply(toDouble(a.matrix(), M, N), linear.matrix);
            double[] yd = new double[M];
            for (int k = 0; k < M; k++) {
                yd[k] = y[k];
            }
            double[] minimumNorm = LinearPrior.minimumNormSolution(ag, yd);
            double deviation = 0;
            double reference = 0;
            for (int i = 0; i < N; i++) {
                deviation += (zHat[i] - minimumNorm[i]) * (zHat[i] - minimumNorm[i]);
                reference += minimumNorm[i] * minimumNorm[i];
            }
            worstDeviation = Math.max(worstDeviation, Math.sqrt(deviation / reference));
            double[] xHat = LinearPrior.apply(linear.matrix, toDouble(zHat));
            for (int i = 0; i < N; i++) {
                sumSquaredError += (xHat[i] - x0[i]) * (xHat[i] - x0[i]);
            }
        }
        // float32 graph and float32 L-BFGS on a system of condition ~20: 1e-3 relative is well above round-off.
        assertTrue(worstDeviation < 1e-3, "deviation from the minimum-norm solution " + worstDeviation);
        double mse = sumSquaredError / TRIALS;
        assertTrue(mse >= linear.lowerBound(M), "MSE " + mse + " below the lower bound " + linear.lowerBound(M));
        assertTrue(mse <= linear.upperBound(M), "MSE " + mse + " above the upper bound " + linear.upperBound(M));
    }

    private static double[][] toDouble(float[] rowMajor, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r][c] = rowMajor[r * cols + c];
            }
        }
        return out;
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}

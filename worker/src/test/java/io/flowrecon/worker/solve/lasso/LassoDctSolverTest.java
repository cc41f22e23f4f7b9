package io.flowrecon.worker.solve.lasso;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.metrics.Psnr;
import io.flowrecon.shared.model.ModelKinds;
import io.flowrecon.shared.operator.ChannelDct;
import io.flowrecon.shared.operator.GaussianOperator;
import io.flowrecon.shared.operator.IdentityOperator;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.worker.solve.ProgressListener;
import io.flowrecon.worker.solve.Reconstruction;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LassoDctSolverTest {

    private final LassoDctSolver solver = new LassoDctSolver();

    @Test
    void recoversASparseDctCodeFromNoiselessGaussianMeasurements() {
        // 1 x 16 x 16, 8 non-zero DCT coefficients (DC = 8 puts the image around 0.5, the other 7 of
        // size <= 0.5 move it by at most 7 * 0.5 * 2/16 = 0.44, so no pixel is clipped), m = 100.
        ImageShape shape = new ImageShape(1, 16, 16);
        int n = shape.size();
        float[] code = new float[n];
        code[0] = 8f;
        SplittableRandom random = new SplittableRandom(21);
        for (int placed = 0; placed < 7; ) {
            int k = 1 + random.nextInt(n - 1);
            if (code[k] == 0f) {
                code[k] = (float) ((random.nextBoolean() ? 1 : -1) * (0.3 + 0.2 * random.nextDouble()));
                placed++;
            }
        }
        float[] truth = code.clone();
        new ChannelDct(shape).inverse(truth);
        MeasurementOperator a = new GaussianOperator(100, n, 5);
        float[] y = new float[100];
        a.apply(truth, y);

        Reconstruction r = solver.solve(a, y, shape, settings(3000, 1e-3), ProgressListener.NONE);

        // lambda = 1e-3 shrinks the 8 coefficients by O(lambda) each (measured: 2.3e-4 relative image
        // error, converged by the tolerance rule after ~950 iterations); 1e-3 leaves a 4x margin and
        // still fails for any real recovery failure (a wrong support gives errors of order 0.1).
        assertEquals("tolerance", r.stopReason());
        assertTrue(relativeError(truth, r.image()) < 1e-3, "relative error " + relativeError(truth, r.image()));
        assertEquals(norm(code), r.latentNorm(), 1e-3 * norm(code));
        assertTrue(r.evaluations() > r.iterations(), "power iteration pairs are counted");
    }

    @Test
    void finalObjectiveMatchesACoordinateDescentReference() {
        ImageShape shape = new ImageShape(1, 8, 8);
        int n = shape.size();
        int m = 30;
        double lambda = 0.05;
        GaussianOperator a = new GaussianOperator(m, n, 3);
        SplittableRandom random = new SplittableRandom(4);
        float[] y = new float[m];
        for (int i = 0; i < m; i++) {
            y[i] = (float) (2.0 + random.nextGaussian());
        }
        double reference = coordinateDescentObjective(a, shape, y, lambda);

        List<Double> losses = new ArrayList<>();
        Reconstruction r = solver.solve(a, y, shape, settings(20000, lambda),
                (iteration, loss, image) -> losses.add(loss));
        double fista = losses.get(losses.size() - 1);

        assertEquals("tolerance", r.stopReason());
        // The reference is optimal in double; FISTA in float stops when w moves by < 1e-6 relative,
        // which leaves the objective within ~1e-6 relative: 1e-5 relative is the tolerance.
        assertEquals(reference, fista, 1e-5 * reference, "FISTA " + fista + " vs coordinate descent " + reference);
        assertTrue(fista >= reference * (1 - 1e-6), "no float solver may beat the optimum noticeably");
    }

    @Test
    void denoisingIsTheClosedFormSoftThresholdAndStopsOnTolerance() {
        // A = I: the Lasso separates, w* = soft(Psi y, lambda / 2); FISTA with step 1/2 lands there in one
        // step and sees no change in the second.
        ImageShape shape = new ImageShape(3, 12, 12);
        float[] y = noisy(smooth(shape), 0.1, 6);
        double lambda = 0.3;
        Reconstruction r = solver.solve(new IdentityOperator(shape.size()), y, shape, settings(50, lambda),
                ProgressListener.NONE);

        float[] expected = y.clone();
        ChannelDct dct = new ChannelDct(shape);
        dct.forward(expected);
        for (int i = 0; i < expected.length; i++) {
            float v = expected[i];
            expected[i] = Math.signum(v) * Math.max(0f, Math.abs(v) - (float) (lambda / 2));
        }
        dct.inverse(expected);
        for (int i = 0; i < expected.length; i++) {
            expected[i] = Math.min(1f, Math.max(0f, expected[i]));
        }
        assertEquals("tolerance", r.stopReason());
        assertEquals(2, r.iterations());
        // Same float operations up to DCT round trips: 1e-5 absolute on values in [0, 1].
        assertArrayEquals(expected, r.image(), 1e-5f);
    }

    @Test
    void denoisingImprovesPsnrOfASmoothImage() {
        ImageShape shape = new ImageShape(3, 32, 32);
        float[] truth = smooth(shape);
        float[] y = noisy(truth, 0.1, 7);
        // Threshold lambda / 2 = 0.25, 2.5 noise standard deviations: most noise-only coefficients vanish.
        Reconstruction r = solver.solve(new IdentityOperator(shape.size()), y, shape, settings(100, 0.5),
                ProgressListener.NONE);
        double before = Psnr.compute(truth, y);
        double after = Psnr.compute(truth, r.image());
        // Measured: 20.2 dB -> 31.3 dB; demand a clear 5 dB so the test fails if denoising breaks.
        assertTrue(after > before + 5.0, "PSNR " + before + " dB -> " + after + " dB");
    }

    @Test
    void listenerCanCancelAndSeesEveryIteration() {
        ImageShape shape = new ImageShape(1, 8, 8);
        GaussianOperator a = new GaussianOperator(20, shape.size(), 9);
        float[] y = new float[20];
        a.apply(smooth(shape), y);
        List<Integer> seen = new ArrayList<>();
        Reconstruction r = solver.solve(a, y, shape, settings(100, 0.01), (iteration, loss, image) -> {
            seen.add(iteration);
            float[] current = image.get();
            assertEquals(shape.size(), current.length);
            return iteration < 3;
        });
        assertEquals("cancelled", r.stopReason());
        assertEquals(3, r.iterations());
        assertEquals(List.of(1, 2, 3), seen);
    }

    @Test
    void objectiveDecreasesOverall() {
        ImageShape shape = new ImageShape(1, 8, 8);
        GaussianOperator a = new GaussianOperator(32, shape.size(), 10);
        float[] y = new float[32];
        a.apply(smooth(shape), y);
        List<Double> losses = new ArrayList<>();
        Reconstruction r = solver.solve(a, y, shape, settings(200, 0.01), (i, loss, image) -> losses.add(loss));
        assertEquals("max-iterations", r.stopReason());
        assertEquals(200, r.iterations());
        // FISTA is not monotone step by step, but its objective must fall far below the start.
        assertTrue(losses.get(losses.size() - 1) < 0.05 * losses.get(0), losses.get(0) + " -> " + losses.get(losses.size() - 1));
    }

    static SolverSettings settings(int steps, double lambda) {
        SolverSettings d = SolverSettings.defaultsFor(ModelKinds.LASSO_DCT);
        return new SolverSettings(d.optimizer(), steps, d.lr(), d.gamma(), lambda, d.restarts(), d.init());
    }

    /** Smooth test image in [0.1, 0.9]. */
    static float[] smooth(ImageShape shape) {
        float[] x = new float[shape.size()];
        int i = 0;
        for (int c = 0; c < shape.channels(); c++) {
            for (int row = 0; row < shape.height(); row++) {
                for (int col = 0; col < shape.width(); col++) {
                    x[i++] = (float) (0.5 + 0.25 * Math.sin(0.2 * row + c) + 0.15 * Math.cos(0.15 * col - 0.5 * c));
                }
            }
        }
        return x;
    }

    private static float[] noisy(float[] x, double std, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (x[i] + std * random.nextGaussian());
        }
        return y;
    }

    /**
     * Cyclic coordinate descent in double on the explicit matrix B = A Psi^T, with Psi built from the
     * DCT-II formula (independent of JTransforms): w_j = soft(b_j^T r_-j, lambda / 2) / ||b_j||^2.
     */
    private static double coordinateDescentObjective(GaussianOperator a, ImageShape shape, float[] y, double lambda) {
        int m = a.rows();
        int n = a.cols();
        double[][] basis = DctBasis.inverseBasis(shape.height(), shape.width()); // column j = Psi^T e_j
        float[] matrix = a.matrix();
        double[][] b = new double[n][m];
        double[] columnNorms = new double[n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int p = 0; p < n; p++) {
                    s += matrix[i * n + p] * basis[j][p];
                }
                b[j][i] = s;
                columnNorms[j] += s * s;
            }
        }
        double[] w = new double[n];
        double[] residual = new double[m];
        for (int i = 0; i < m; i++) {
            residual[i] = y[i];
        }
        for (int sweep = 0; sweep < 100000; sweep++) {
            double maxChange = 0;
            for (int j = 0; j < n; j++) {
                double rho = 0;
                for (int i = 0; i < m; i++) {
                    rho += b[j][i] * (residual[i] + b[j][i] * w[j]);
                }
                double next = Math.signum(rho) * Math.max(0, Math.abs(rho) - lambda / 2) / columnNorms[j];
                double delta = next - w[j];
                if (delta != 0) {
                    for (int i = 0; i < m; i++) {
                        residual[i] -= b[j][i] * delta;
                    }
                    w[j] = next;
                    maxChange = Math.max(maxChange, Math.abs(delta));
                }
            }
            if (maxChange < 1e-14) {
                break;
            }
        }
        double objective = 0;
        for (double r : residual) {
            objective += r * r;
        }
        for (double v : w) {
            objective += lambda * Math.abs(v);
        }
        return objective;
    }

    private static double relativeError(float[] truth, float[] estimate) {
        double diff = 0;
        for (int i = 0; i < truth.length; i++) {
            double d = (double) estimate[i] - truth[i];
            diff += d * d;
        }
        return Math.sqrt(diff) / norm(truth);
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}

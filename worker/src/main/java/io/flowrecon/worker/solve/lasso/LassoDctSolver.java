package io.flowrecon.worker.solve.lasso;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.operator.ChannelDct;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.worker.solve.ProgressListener;
import io.flowrecon.worker.solve.Reconstruction;
import io.flowrecon.worker.solve.Solver;

/**
 * The paper's sparsity baseline (Asim et al. 2020, after Bora et al. 2017): Lasso in the DCT basis,
 *
 * <pre>  min_w F(w) = ||A Psi^T w - y||^2 + lambda ||w||_1,   x_hat = clip(Psi^T w, 0, 1)</pre>
 *
 * with Psi the orthonormal 2-D DCT of each channel, solved by FISTA (Beck and Teboulle, SIAM J.
 * Imaging Sciences 2009) from w0 = 0 with constant step 1/L, L = 2 ||A||_2^2 (Psi is orthogonal).
 *
 * <p>One A / A^T pair per iteration: the forward product at the new iterate w_k gives both the
 * exact objective F(w_k) reported to the listener and, by linearity, the residual at the
 * extrapolated point v_{k+1} = w_k + beta (w_k - w_{k-1}) where the next gradient is taken.
 * Stops after {@code settings.steps()} iterations ("max-iterations"), when the relative change
 * ||w_k - w_{k-1}|| / ||w_k|| falls below 1e-6 ("tolerance"), or when the listener says so
 * ("cancelled"). {@code evaluations} counts every A / A^T pair, including the power iteration
 * that estimates ||A||_2 for dense operators.
 */
public final class LassoDctSolver implements Solver {

    /** Relative change of w below which the iterates have stopped moving. */
    public static final double RELATIVE_TOLERANCE = 1e-6;
    /** Seed of the power iteration's start vector (fixed: results must be reproducible). */
    private static final long POWER_ITERATION_SEED = 0x1a550L;

    @Override
    public Reconstruction solve(MeasurementOperator operator, float[] measurements, ImageShape shape,
                                SolverSettings settings, ProgressListener progress) {
        int n = shape.size();
        int m = operator.rows();
        check(operator, measurements, shape, settings);
        double lambda = settings.lambda();
        ChannelDct psi = new ChannelDct(shape);
        OperatorNorm norm = OperatorNorm.of(operator, POWER_ITERATION_SEED);
        double lipschitz = 2.0 * norm.squaredNorm();
        float step = (float) (1.0 / lipschitz);
        float threshold = (float) (lambda / lipschitz);

        float[] w = new float[n];          // w_k
        float[] wPrevious = new float[n];  // w_{k-1}
        float[] v = new float[n];          // extrapolated point
        float[] image = new float[n];      // Psi^T w_k
        float[] work = new float[n];
        float[] aw = new float[m];         // A Psi^T w_k
        float[] awPrevious = new float[m];
        float[] residualAtV = new float[m];
        for (int i = 0; i < m; i++) {
            residualAtV[i] = -measurements[i]; // v_1 = w_0 = 0
        }
        double t = 1.0;
        int pairs = norm.pairs();
        int iteration = 0;
        String stopReason = "max-iterations";
        while (iteration < settings.steps()) {
            iteration++;
            // Gradient of the smooth part at v: 2 Psi A^T (A Psi^T v - y).
            operator.adjoint(residualAtV, work);
            psi.forward(work);
            float[] swap = wPrevious;
            wPrevious = w;
            w = swap;
            for (int i = 0; i < n; i++) {
                w[i] = softThreshold(v[i] - step * 2f * work[i], threshold);
            }
            System.arraycopy(w, 0, image, 0, n);
            psi.inverse(image);
            float[] awSwap = awPrevious;
            awPrevious = aw;
            aw = awSwap;
            operator.apply(image, aw);
            pairs++;
            double objective = objective(aw, measurements, w, lambda);
            float[] current = image;
            boolean goOn = progress.onIteration(iteration, objective, () -> clip(current));
            if (!goOn) {
                stopReason = "cancelled";
                break;
            }
            if (relativeChange(w, wPrevious) < RELATIVE_TOLERANCE) {
                stopReason = "tolerance";
                break;
            }
            double tNext = (1.0 + Math.sqrt(1.0 + 4.0 * t * t)) / 2.0;
            float beta = (float) ((t - 1.0) / tNext);
            t = tNext;
            for (int i = 0; i < n; i++) {
                v[i] = w[i] + beta * (w[i] - wPrevious[i]);
            }
            // A Psi^T v = (1 + beta) A Psi^T w_k - beta A Psi^T w_{k-1}, no extra product needed.
            for (int i = 0; i < m; i++) {
                residualAtV[i] = (1f + beta) * aw[i] - beta * awPrevious[i] - measurements[i];
            }
        }
        return new Reconstruction(clip(image), iteration, pairs, Math.sqrt(squaredNorm(w)), stopReason);
    }

    private static void check(MeasurementOperator operator, float[] measurements, ImageShape shape,
                              SolverSettings settings) {
        if (operator.cols() != shape.size()) {
            throw new IllegalArgumentException("operator " + operator.describe() + " acts on " + operator.cols()
                    + " values, but the image shape " + shape + " has " + shape.size());
        }
        if (measurements.length != operator.rows()) {
            throw new IllegalArgumentException("measurements: " + measurements.length + " values, but the operator "
                    + operator.describe() + " makes " + operator.rows());
        }
        if (settings.steps() < 1) {
            throw new IllegalArgumentException("solver.steps: must be at least 1, got " + settings.steps());
        }
        if (!(settings.lambda() >= 0.0) || Double.isInfinite(settings.lambda())) {
            throw new IllegalArgumentException("solver.lambda: must be finite and >= 0, got " + settings.lambda());
        }
    }

    private static float softThreshold(float value, float threshold) {
        if (value > threshold) {
            return value - threshold;
        }
        if (value < -threshold) {
            return value + threshold;
        }
        return 0f;
    }

    private static double objective(float[] aw, float[] y, float[] w, double lambda) {
        double data = 0.0;
        for (int i = 0; i < y.length; i++) {
            double r = (double) aw[i] - y[i];
            data += r * r;
        }
        double l1 = 0.0;
        for (float value : w) {
            l1 += Math.abs(value);
        }
        return data + lambda * l1;
    }

    private static double relativeChange(float[] w, float[] previous) {
        double diff = 0.0;
        double size = 0.0;
        for (int i = 0; i < w.length; i++) {
            double d = (double) w[i] - previous[i];
            diff += d * d;
            size += (double) w[i] * w[i];
        }
        if (size == 0.0) {
            return diff == 0.0 ? 0.0 : Double.POSITIVE_INFINITY;
        }
        return Math.sqrt(diff / size);
    }

    private static double squaredNorm(float[] v) {
        double sum = 0.0;
        for (float value : v) {
            sum += (double) value * value;
        }
        return sum;
    }

    private static float[] clip(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            float v = values[i];
            out[i] = v > 0f ? (v < 1f ? v : 1f) : 0f;
        }
        return out;
    }
}

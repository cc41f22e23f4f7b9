package io.flowrecon.worker.app;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.worker.solve.ProgressListener;
import io.flowrecon.worker.solve.Reconstruction;
import io.flowrecon.worker.solve.Solver;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test solver whose pace the test sets: Landweber iteration x += 0.5 A^T (y - A x) from
 * x = 0 (least squares, no prior), {@code settings.steps()} iterations, pausing
 * {@code pauseMillis} after each so that a job stays RUNNING long enough to be cancelled,
 * shut down or killed. It counts its solves so that tests can tell work from no work.
 */
final class LandweberTestSolver implements Solver {

    private final long pauseMillis;
    private final AtomicInteger solves = new AtomicInteger();

    LandweberTestSolver(long pauseMillis) {
        this.pauseMillis = pauseMillis;
    }

    int solves() {
        return solves.get();
    }

    @Override
    public Reconstruction solve(MeasurementOperator operator, float[] y, ImageShape shape, SolverSettings settings,
                                ProgressListener progress) {
        solves.incrementAndGet();
        float[] x = new float[operator.cols()];
        float[] residual = new float[operator.rows()];
        float[] step = new float[operator.cols()];
        int iterations = 0;
        String stopReason = "max-iterations";
        for (int k = 1; k <= settings.steps(); k++) {
            operator.apply(x, residual);
            double loss = 0;
            for (int i = 0; i < residual.length; i++) {
                residual[i] = y[i] - residual[i];
                loss += 0.5 * residual[i] * residual[i];
            }
            operator.adjoint(residual, step);
            for (int i = 0; i < x.length; i++) {
                x[i] += 0.5f * step[i];
            }
            iterations = k;
            if (!progress.onIteration(k, loss, () -> x.clone())) {
                stopReason = "cancelled";
                break;
            }
            pause();
        }
        float[] image = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            image[i] = Math.max(0f, Math.min(1f, x[i]));
        }
        return new Reconstruction(image, iterations, iterations, 0.0, stopReason);
    }

    private void pause() {
        if (pauseMillis > 0) {
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

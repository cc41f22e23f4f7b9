package io.flowrecon.worker.solve;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.operator.MeasurementOperator;
import java.util.List;

/**
 * A solver that can solve several jobs of its model as one batch: one session run per evaluation for all of
 * them, each job with its own operator, measurements, optimiser state, step budget and progress. A job that is
 * cancelled, runs out of steps or converges leaves the others running; each result is what the job would get
 * alone, up to the float round-off of batched kernels.
 */
public interface BatchSolver extends Solver {

    /**
     * What jobs must share to be solved in one batch, beyond the model and the image shape: the parts of the
     * problem and the settings that change the objective graph (operator kind and size, gamma, optimiser).
     */
    String batchKey(MeasurementOperator operator, SolverSettings settings);

    /**
     * Solves jobs with equal {@link #batchKey} together; one result per job, in order.
     *
     * @throws RuntimeException when the batch as a whole fails (then no job has a result)
     */
    List<Reconstruction> solveBatch(List<BatchJob> jobs, ImageShape shape);

    @Override
    default Reconstruction solve(MeasurementOperator operator, float[] measurements, ImageShape shape,
                                 SolverSettings settings, ProgressListener progress) {
        return solveBatch(List.of(new BatchJob(operator, measurements, settings, progress)), shape).get(0);
    }
}

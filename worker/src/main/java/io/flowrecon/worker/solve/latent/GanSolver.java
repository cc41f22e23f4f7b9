package io.flowrecon.worker.solve.latent;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.engine.Prior;
import io.flowrecon.worker.solve.BatchJob;
import io.flowrecon.worker.solve.BatchSolver;
import io.flowrecon.worker.solve.Reconstruction;
import java.util.List;

/**
 * A GAN prior's solver (Bora et al. 2017, as the paper's DCGAN baseline): settings.restarts random starts
 * z ~ N(0, std^2), optimised together (each restart its own optimiser state), and the restart with the smallest
 * measurement loss ||A G(z) - y||^2 at the end wins. In a batch of jobs each job's restarts are extra rows.
 */
public final class GanSolver implements BatchSolver {

    private final ObjectiveEngine engine;
    private final Prior prior;

    public GanSolver(ObjectiveEngine engine, Prior prior) {
        this.engine = engine;
        this.prior = prior;
    }

    @Override
    public String batchKey(MeasurementOperator operator, SolverSettings settings) {
        return LatentBatch.key(operator, settings);
    }

    @Override
    public List<Reconstruction> solveBatch(List<BatchJob> jobs, ImageShape shape) {
        return LatentBatch.solve(engine, prior, jobs, shape, settings -> {
            if (settings.restarts() < 1) {
                throw new IllegalArgumentException("solver.restarts must be >= 1, got " + settings.restarts());
            }
            return settings.restarts();
        });
    }
}

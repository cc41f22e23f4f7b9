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
 * An invertible prior's solver (Asim et al. 2020, Sec. 4): min_z ||A G(z) - y||^2 + gamma ||z||^2 by L-BFGS
 * from z0 = 0 (the zero start is the implicit likelihood regulariser), settings.steps outer steps of 20
 * iterations as torch.optim.LBFGS, with a strong-Wolfe line search or the paper's fixed step settings.lr
 * (settings.lineSearch). A batch holds one row per job, each with its own L-BFGS state.
 */
public final class GlowSolver implements BatchSolver {

    private final ObjectiveEngine engine;
    private final Prior prior;

    public GlowSolver(ObjectiveEngine engine, Prior prior) {
        this.engine = engine;
        this.prior = prior;
    }

    @Override
    public String batchKey(MeasurementOperator operator, SolverSettings settings) {
        return LatentBatch.key(operator, settings);
    }

    @Override
    public List<Reconstruction> solveBatch(List<BatchJob> jobs, ImageShape shape) {
        return LatentBatch.solve(engine, prior, jobs, shape, settings -> 1);
    }
}

package io.flowrecon.worker.engine;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.worker.runtime.SessionCache;
import io.flowrecon.worker.solve.ProgressListener;
import io.flowrecon.worker.solve.Reconstruction;
import io.flowrecon.worker.solve.Solver;

/**
 * An invertible prior's solver (Asim et al. 2020, Sec. 4): min_z ||A G(z) - y||^2 + gamma ||z||^2 by L-BFGS
 * from z0 = 0 (the zero start is the implicit likelihood regulariser), settings.steps outer steps of 20
 * iterations with a fixed step settings.lr, as torch.optim.LBFGS without line search.
 */
public final class GlowSolver implements Solver {

    private final ObjectiveEngine engine;
    private final Prior prior;

    public GlowSolver(ObjectiveEngine engine, Prior prior) {
        this.engine = engine;
        this.prior = prior;
    }

    @Override
    public Reconstruction solve(MeasurementOperator operator, float[] measurements, ImageShape shape,
                                SolverSettings settings, ProgressListener progress) {
        Solvers.checkShape(prior, shape);
        OperatorGraph graph = OperatorGraph.of(operator, shape);
        try (SessionCache.Lease<ObjectiveSession> lease = engine.session(prior, graph, 1, settings.gamma());
             BoundObjective objective = lease.value().bind(new float[][] {measurements})) {
            float[] initial = Solvers.initialLatents(settings.init(), 1, prior.latent());
            LatentSearch.Outcome outcome = LatentSearch.run(settings, objective, initial, progress,
                    report -> report.latestLosses()[0], images -> images.image(0));
            BoundObjective.Images last = objective.images(outcome.latents());
            return new Reconstruction(LatentSearch.clip(last.image(0)), outcome.steps(), objective.runs(),
                    LatentSearch.norm(outcome.latents(), 0, prior.latent()), outcome.stopReason());
        }
    }
}

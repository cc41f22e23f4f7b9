package io.flowrecon.worker.solve.latent;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.worker.engine.BoundObjective;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.engine.ObjectiveSession;
import io.flowrecon.worker.engine.OperatorGraph;
import io.flowrecon.worker.engine.Prior;
import io.flowrecon.worker.optim.StepReport;
import io.flowrecon.worker.runtime.SessionCache;
import io.flowrecon.worker.solve.ProgressListener;
import io.flowrecon.worker.solve.Reconstruction;
import io.flowrecon.worker.solve.Solver;

/**
 * A GAN prior's solver (Bora et al. 2017, as the paper's DCGAN baseline): settings.restarts random starts
 * z ~ N(0, std^2), optimised together as one batch (each restart its own optimiser state), and the restart
 * with the smallest measurement loss ||A G(z) - y||^2 at the end wins.
 */
public final class GanSolver implements Solver {

    private final ObjectiveEngine engine;
    private final Prior prior;

    public GanSolver(ObjectiveEngine engine, Prior prior) {
        this.engine = engine;
        this.prior = prior;
    }

    @Override
    public Reconstruction solve(MeasurementOperator operator, float[] measurements, ImageShape shape,
                                SolverSettings settings, ProgressListener progress) {
        prior.requireShape(shape);
        int restarts = settings.restarts();
        if (restarts < 1) {
            throw new IllegalArgumentException("solver.restarts must be >= 1, got " + restarts);
        }
        OperatorGraph graph = OperatorGraph.of(operator, shape);
        float[][] perRestart = new float[restarts][];
        java.util.Arrays.fill(perRestart, measurements);
        try (SessionCache.Lease<ObjectiveSession> lease = engine.session(prior, graph, restarts, settings.gamma());
             BoundObjective objective = lease.value().bind(perRestart)) {
            float[] initial = InitialLatents.of(settings.init(), restarts, prior.latent());
            LatentSearch.Outcome outcome = LatentSearch.run(settings, objective, initial, progress,
                    GanSolver::bestLoss, images -> images.image(best(images.measurementLosses())));
            BoundObjective.Images last = objective.images(outcome.latents());
            int winner = best(last.measurementLosses());
            return new Reconstruction(LatentSearch.clip(last.image(winner)), outcome.steps(), objective.runs(),
                    LatentSearch.norm(outcome.latents(), winner * prior.latent(), prior.latent()), outcome.stopReason());
        }
    }

    private static double bestLoss(StepReport report) {
        double best = Double.POSITIVE_INFINITY;
        for (double loss : report.latestLosses()) {
            if (loss < best) {
                best = loss;
            }
        }
        return best;
    }

    /** Index of the smallest finite loss (0 when none is finite). */
    public static int best(double[] losses) {
        int best = 0;
        for (int b = 1; b < losses.length; b++) {
            if (Double.isFinite(losses[b]) && (!Double.isFinite(losses[best]) || losses[b] < losses[best])) {
                best = b;
            }
        }
        return best;
    }
}

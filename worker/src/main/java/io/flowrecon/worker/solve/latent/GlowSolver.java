package io.flowrecon.worker.solve.latent;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.worker.engine.BoundObjective;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.engine.ObjectiveSession;
import io.flowrecon.worker.engine.OperatorGraph;
import io.flowrecon.worker.engine.Prior;
import io.flowrecon.worker.runtime.SessionCache;
import io.flowrecon.worker.solve.ProgressListener;
import io.flowrecon.worker.solve.Reconstruction;
import io.flowrecon.worker.solve.Solver;
import java.util.ArrayList;
import java.util.List;

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
        return solveBatch(operator, List.of(measurements), shape, settings, progress).get(0);
    }

    /**
     * Solves several jobs that share this prior and operator as one batch: one session run per evaluation for all
     * of them, each image with its own L-BFGS state (so each result is what it would be alone, up to float
     * round-off of batched kernels). Progress reports the largest loss of the batch and image 0; cancelling
     * stops the whole batch.
     */
    public List<Reconstruction> solveBatch(MeasurementOperator operator, List<float[]> measurements, ImageShape shape,
                                           SolverSettings settings, ProgressListener progress) {
        prior.requireShape(shape);
        int batch = measurements.size();
        OperatorGraph graph = OperatorGraph.of(operator, shape);
        try (SessionCache.Lease<ObjectiveSession> lease = engine.session(prior, graph, batch, settings.gamma());
             BoundObjective objective = lease.value().bind(measurements.toArray(new float[0][]))) {
            float[] initial = InitialLatents.of(settings.init(), batch, prior.latent());
            LatentSearch.Outcome outcome = LatentSearch.run(settings, objective, initial, progress,
                    report -> max(report.latestLosses()), images -> images.image(0));
            BoundObjective.Images last = objective.images(outcome.latents());
            List<Reconstruction> results = new ArrayList<>(batch);
            for (int b = 0; b < batch; b++) {
                results.add(new Reconstruction(LatentSearch.clip(last.image(b)), outcome.steps(), objective.runs(),
                        LatentSearch.norm(outcome.latents(), b * prior.latent(), prior.latent()), outcome.stopReason()));
            }
            return results;
        }
    }

    private static double max(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        return max;
    }
}

package io.flowrecon.worker.solve.latent;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.operator.MaskOperator;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.worker.engine.BoundObjective;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.engine.ObjectiveSession;
import io.flowrecon.worker.engine.OperatorForm;
import io.flowrecon.worker.engine.OperatorGraph;
import io.flowrecon.worker.engine.PerImageOperators;
import io.flowrecon.worker.engine.Prior;
import io.flowrecon.worker.runtime.SessionCache;
import io.flowrecon.worker.solve.BatchJob;
import io.flowrecon.worker.solve.Reconstruction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Solves a batch of jobs of one latent prior: lays the jobs out as rows (each job {@code rowsPerJob} of them),
 * binds one objective for all, runs {@link LatentSearch} and reads each job's winning row back. Each row gets its
 * own operator as graph inputs ({@link PerImageOperators}), alone or batched.
 */
final class LatentBatch {

    private LatentBatch() {
    }

    /** The part of {@link io.flowrecon.worker.solve.BatchSolver#batchKey} both latent solvers share. */
    static String key(MeasurementOperator operator, SolverSettings settings) {
        // masks of any observed count share a graph: their rows are scattered to n values
        String rows = operator instanceof MaskOperator ? "" : "m=" + operator.rows() + ", ";
        return operator.getClass().getSimpleName() + "(" + rows + "n=" + operator.cols() + "):gamma="
                + settings.gamma() + ":optimizer=" + settings.optimizer() + ":lineSearch=" + settings.lineSearch();
    }

    static List<Reconstruction> solve(ObjectiveEngine engine, Prior prior, List<BatchJob> jobs, ImageShape shape,
                                      ToIntFunction<SolverSettings> rowsPerJob) {
        prior.requireShape(shape);
        if (jobs.isEmpty()) {
            return List.of();
        }
        double gamma = jobs.get(0).settings().gamma();
        List<LatentSearch.Job> layout = new ArrayList<>();
        List<MeasurementOperator> operators = new ArrayList<>();
        List<float[]> measurements = new ArrayList<>();
        List<float[]> initial = new ArrayList<>();
        for (BatchJob job : jobs) {
            if (job.settings().gamma() != gamma) {
                throw new IllegalArgumentException("the jobs of one batch must share solver.gamma, got " + gamma
                        + " and " + job.settings().gamma());
            }
            int rows = rowsPerJob.applyAsInt(job.settings());
            layout.add(new LatentSearch.Job(job.settings(), job.progress(), operators.size(), rows));
            initial.add(InitialLatents.of(job.settings().init(), rows, prior.latent()));
            for (int r = 0; r < rows; r++) {
                operators.add(job.operator());
                measurements.add(job.measurements());
            }
        }
        int batch = operators.size();
        OperatorForm form = formFor(operators, shape);
        try (SessionCache.Lease<ObjectiveSession> lease = engine.session(prior, form, batch, gamma);
             BoundObjective objective = form instanceof OperatorGraph
                     ? lease.value().bind(measurements.toArray(new float[0][]))
                     : lease.value().bind(operators, measurements)) {
            LatentSearch.Result result = LatentSearch.run(layout, objective, concat(initial, batch * prior.latent()));
            BoundObjective.Images last = objective.images(result.latents());
            List<Reconstruction> reconstructions = new ArrayList<>(jobs.size());
            for (int j = 0; j < layout.size(); j++) {
                LatentSearch.Job job = layout.get(j);
                LatentSearch.Outcome outcome = result.outcomes().get(j);
                int winner = LatentSearch.bestRow(last.measurementLosses(), job);
                // + 1: the run that read the final images back
                reconstructions.add(new Reconstruction(LatentSearch.clip(last.image(winner)), outcome.steps(),
                        outcome.runs() + 1, LatentSearch.norm(result.latents(), winner * prior.latent(), prior.latent()),
                        outcome.stopReason()));
            }
            return reconstructions;
        }
    }

    /**
     * Per-image inputs for every operator that has data, alone or batched, so that a job's arithmetic does not
     * depend on the batch it lands in: the per-image forms are bit for bit the same for every batch size, while the
     * Gaussian one differs from {@link OperatorGraph.Dense}'s in the last bits of the gradient, which L-BFGS
     * amplifies (a lone job in the shared form and the same job batched differed by up to 2.7 dB without a line
     * search, 0.4 dB with one; docs/BENCHMARKS.md). The identity has no data and keeps the shared form. One session
     * serves every operator seed.
     */
    private static OperatorForm formFor(List<MeasurementOperator> operators, ImageShape shape) {
        OperatorGraph first = OperatorGraph.of(operators.get(0), shape);
        return first instanceof OperatorGraph.Identity ? first : PerImageOperators.of(operators, shape);
    }

    private static float[] concat(List<float[]> parts, int size) {
        float[] out = new float[size];
        int offset = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }
}

package io.flowrecon.worker.solve.deepdecoder;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.model.ModelKinds;
import io.flowrecon.shared.operator.MeasurementOperator;
import io.flowrecon.shared.prior.DeepDecoderArchitecture;
import io.flowrecon.shared.prior.DeepDecoderGraphs;
import io.flowrecon.shared.prior.DeepDecoderWeights;
import io.flowrecon.worker.engine.BoundObjective;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.engine.ObjectiveSession;
import io.flowrecon.worker.engine.OperatorGraph;
import io.flowrecon.worker.engine.Prior;
import io.flowrecon.worker.runtime.SessionCache;
import io.flowrecon.worker.solve.ProgressListener;
import io.flowrecon.worker.solve.Reconstruction;
import io.flowrecon.worker.solve.Solver;
import io.flowrecon.worker.solve.latent.LatentSearch;
import java.util.Arrays;
import java.util.List;

/**
 * The Deep Decoder baseline (Heckel and Hand, ICLR 2019): min_w ||A G(w) - y||^2 + gamma ||w||^2 over the
 * weights w of an untrained, under-parameterised decoder G with a fixed random input. The decoder graph takes w
 * as its input, so the objective engine composes it with the operator and the adjoint builder differentiates it
 * with respect to w, exactly as it does a prior's latent; Adam fits it (the paper's optimiser).
 *
 * <p>settings.restarts decoders start from weights drawn from settings.init (seed and std,
 * {@link DeepDecoderWeights}) and are fitted together as one batch; the one with the smallest measurement loss
 * wins. The reported latent norm is ||w|| of the winner.
 */
public final class DeepDecoderSolver implements Solver {

    private final ObjectiveEngine engine;
    private final DeepDecoderArchitecture architecture;

    public DeepDecoderSolver(ObjectiveEngine engine, DeepDecoderArchitecture architecture) {
        this.engine = engine;
        this.architecture = architecture;
    }

    @Override
    public Reconstruction solve(MeasurementOperator operator, float[] measurements, ImageShape shape,
                                SolverSettings settings, ProgressListener progress) {
        int restarts = settings.restarts();
        if (restarts < 1) {
            throw new IllegalArgumentException("solver.restarts must be >= 1, got " + restarts);
        }
        if (!(settings.init() instanceof SolverSettings.Init.RandomNormal init)) {
            throw new IllegalArgumentException("solver.init: the deep decoder starts from random weights; allowed: random");
        }
        Prior decoder = decoder(shape, restarts);
        OperatorGraph graph = OperatorGraph.of(operator, shape);
        float[][] perRestart = new float[restarts][];
        Arrays.fill(perRestart, measurements);
        try (SessionCache.Lease<ObjectiveSession> lease = engine.session(decoder, graph, restarts, settings.gamma());
             BoundObjective objective = lease.value().bind(perRestart)) {
            float[] initial = DeepDecoderWeights.random(architecture, shape, init.std(), init.seed(), restarts);
            LatentSearch.Job job = new LatentSearch.Job(settings, progress, 0, restarts);
            LatentSearch.Result result = LatentSearch.run(List.of(job), objective, initial);
            LatentSearch.Outcome outcome = result.outcomes().get(0);
            BoundObjective.Images last = objective.images(result.latents());
            int winner = LatentSearch.bestRow(last.measurementLosses(), job);
            // + 1: the run that read the final images back
            return new Reconstruction(LatentSearch.clip(last.image(winner)), outcome.steps(), outcome.runs() + 1,
                    LatentSearch.norm(result.latents(), winner * decoder.latent(), decoder.latent()),
                    outcome.stopReason());
        }
    }

    /** The decoder for this image shape and batch, as the engine's prior: its "latent" is the weight vector. */
    public Prior decoder(ImageShape shape, int batch) {
        return new Prior(ModelKinds.DEEP_DECODER, architecture.sha256(shape),
                DeepDecoderGraphs.generator(architecture, shape, batch), shape, architecture.parameterCount(shape));
    }
}

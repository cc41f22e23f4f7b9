package io.flowrecon.worker.app;

import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.engine.PriorSolvers;
import io.flowrecon.worker.job.SolverRegistry;
import io.flowrecon.worker.runtime.SessionFactory;
import io.flowrecon.worker.store.ModelRecord;

import java.nio.file.Path;

/**
 * The solvers a worker process serves: the built-in Lasso-DCT baseline, and the latent engine for
 * priors that come as ONNX bundles (glow, dcgan). The engine's ONNX Runtime environment is created
 * here, at start-up, so that a worker asked for CUDA on a host without it fails at once with a clear
 * message rather than on its first job.
 */
final class Solvers {

    private Solvers() {
    }

    static SolverRegistry forConfig(WorkerConfig config) {
        PriorSolvers priors = new PriorSolvers(new ObjectiveEngine(SessionFactory.create(config.runtime()),
                AdjointBuilder.standard()));
        SolverRegistry registry = SolverRegistry.withBuiltIns();
        for (String kind : new String[] {"glow", "dcgan"}) {
            registry.register(kind, model -> priors.forBundle(bundleDir(config, model)));
        }
        return registry;
    }

    /**
     * Where this host keeps the model's bundle: its own models folder when that holds the model (workers
     * and the API may mount bundles at different paths), else the path the API registered.
     */
    private static Path bundleDir(WorkerConfig config, ModelRecord model) {
        if (config.modelsDir() != null) {
            Path local = config.modelsDir().resolve(model.id());
            if (ModelBundle.isBundle(local)) {
                return local;
            }
        }
        if (model.bundlePath() == null) {
            throw new IllegalArgumentException("model " + model.id() + " has no bundle on this worker (looked in "
                    + config.modelsDir() + ") and none was registered");
        }
        return Path.of(model.bundlePath());
    }
}

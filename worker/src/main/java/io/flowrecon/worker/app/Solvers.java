package io.flowrecon.worker.app;

import io.flowrecon.worker.autodiff.AdjointBuilder;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.engine.PriorSolvers;
import io.flowrecon.worker.job.SolverRegistry;
import io.flowrecon.worker.runtime.ExecutionProviderKind;
import io.flowrecon.worker.runtime.RuntimeConfig;
import io.flowrecon.worker.runtime.SessionFactory;

import java.nio.file.Path;
import java.util.Map;

/**
 * The solvers a worker process serves: the built-in Lasso-DCT baseline, and the latent engine for
 * priors that come as ONNX bundles (glow, dcgan). The engine's ONNX Runtime environment is created
 * here, at start-up, so that a worker asked for CUDA on a host without it fails at once with a clear
 * message rather than on its first job.
 */
final class Solvers {

    private Solvers() {
    }

    static SolverRegistry forConfig(WorkerConfig config, Map<String, String> env) {
        RuntimeConfig defaults = RuntimeConfig.fromEnvironment(env);
        RuntimeConfig runtime = new RuntimeConfig(ExecutionProviderKind.fromWireName(config.executionProvider()),
                config.intraOpThreads(), defaults.interOpThreads(), defaults.allowSpinning(), defaults.cudaDeviceId(),
                defaults.cudnnConvSearch(), defaults.sessionCacheEntries());
        PriorSolvers priors = new PriorSolvers(new ObjectiveEngine(SessionFactory.create(runtime), AdjointBuilder.standard()));
        SolverRegistry registry = SolverRegistry.withBuiltIns();
        for (String kind : new String[] {"glow", "dcgan"}) {
            registry.register(kind, model -> {
                if (model.bundlePath() == null) {
                    throw new IllegalArgumentException("model " + model.id() + " of kind " + kind + " has no bundle folder");
                }
                return priors.forBundle(Path.of(model.bundlePath()));
            });
        }
        return registry;
    }
}

package io.flowrecon.worker.app;

import io.flowrecon.worker.job.SolverRegistry;

/**
 * The solvers a worker process serves. Priors with their own engines (glow, dcgan, ...)
 * are registered here, one line each, built from what the configuration says: the models
 * folder, the execution provider, the intra-op threads.
 */
final class Solvers {

    private Solvers() {
    }

    static SolverRegistry forConfig(WorkerConfig config) {
        return SolverRegistry.withBuiltIns();
    }
}

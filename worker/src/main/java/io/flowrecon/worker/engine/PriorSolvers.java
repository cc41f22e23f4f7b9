package io.flowrecon.worker.engine;

import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelBundleException;
import io.flowrecon.worker.solve.Solver;
import io.flowrecon.worker.solve.latent.GanSolver;
import io.flowrecon.worker.solve.latent.GlowSolver;
import java.nio.file.Path;

/**
 * Picks the solver of a prior bundle by its card's kind: glow -> {@link GlowSolver}, dcgan -> {@link GanSolver}.
 * What the worker's SolverRegistry plugs in for those kinds.
 */
public final class PriorSolvers {

    private final ObjectiveEngine engine;

    public PriorSolvers(ObjectiveEngine engine) {
        this.engine = engine;
    }

    /** The solver for the bundle in {@code dir} (hashes verified). */
    public Solver forBundle(Path dir) {
        ModelBundle bundle;
        try {
            bundle = ModelBundle.read(dir);
        } catch (ModelBundleException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Prior prior = Prior.fromBundle(bundle);
        return switch (bundle.card().kind()) {
            case "glow" -> new GlowSolver(engine, prior);
            case "dcgan" -> new GanSolver(engine, prior);
            default -> throw new IllegalArgumentException("model " + bundle.card().id() + " has kind '" + bundle.card().kind()
                    + "'; the latent engine solves kinds glow and dcgan");
        };
    }
}

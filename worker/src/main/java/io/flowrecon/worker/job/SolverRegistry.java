package io.flowrecon.worker.job;

import io.flowrecon.worker.solve.Solver;
import io.flowrecon.worker.store.ModelRecord;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which solver serves which model kind ({@code models.kind}). The worker starts with
 * {@link #withBuiltIns()}; priors with their own engines (glow, dcgan, ...) are plugged in
 * with {@link #register}. Not thread-safe: fill it before the worker starts.
 */
public final class SolverRegistry {

    private final Map<String, SolverFactory> factories = new TreeMap<>();

    /** An empty registry (tests register their own solvers). */
    public SolverRegistry() {
    }

    /** The solvers that need no model bundle: the Lasso-DCT baseline. */
    public static SolverRegistry withBuiltIns() {
        return new SolverRegistry().register("lasso-dct", BuiltInSolvers::lassoDct);
    }

    /** Adds or replaces the factory for a model kind; returns this registry. */
    public SolverRegistry register(String modelKind, SolverFactory factory) {
        factories.put(modelKind, factory);
        return this;
    }

    public Optional<SolverFactory> factoryFor(String modelKind) {
        return Optional.ofNullable(factories.get(modelKind));
    }

    /** The solver for a model, or a failure message that names the kinds this worker serves. */
    Solver solverFor(ModelRecord model) throws Exception {
        SolverFactory factory = factories.get(model.kind());
        if (factory == null) {
            throw new PoisonJobException("model " + model.id() + " has kind '" + model.kind()
                    + "', which this worker has no solver for (it serves: " + String.join(", ", factories.keySet()) + ")");
        }
        return factory.create(model);
    }
}

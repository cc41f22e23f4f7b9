package io.flowrecon.worker.solve;

import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelBundleException;
import io.flowrecon.shared.model.ModelKinds;
import io.flowrecon.shared.prior.DeepDecoderArchitecture;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.engine.Prior;
import io.flowrecon.worker.solve.deepdecoder.DeepDecoderSolver;
import io.flowrecon.worker.solve.lasso.LassoDctSolver;
import io.flowrecon.worker.solve.latent.GanSolver;
import io.flowrecon.worker.solve.latent.GlowSolver;
import io.flowrecon.worker.store.ModelRecord;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Which solver serves which model kind ({@link ModelKinds}, the {@code models.kind} column): the one place a
 * kind is mapped to its solver. {@link #standard} lists every solver of this build, one line per kind; tests
 * register their own. Not thread-safe: fill it before the worker starts.
 */
public final class SolverRegistry {

    /** Builds the solver for one registered model (or hands out a cached one). */
    @FunctionalInterface
    public interface Factory {

        /** @throws RuntimeException when the model cannot be loaded (missing bundle, bad ONNX graph, ...) */
        Solver create(ModelRecord model);
    }

    private final Map<String, Factory> factories = new TreeMap<>();

    /** An empty registry. */
    public SolverRegistry() {
    }

    /**
     * Every solver this build has: the Lasso-DCT and Deep Decoder baselines, which need no bundle, and the latent
     * solvers of priors that come as ONNX bundles, run on {@code engine}.
     *
     * @param bundleDirs where this host keeps a model's bundle
     */
    public static SolverRegistry standard(ObjectiveEngine engine, Function<ModelRecord, Path> bundleDirs) {
        // Lasso is stateless, so one per job is cheap; a prior is read (and its hashes verified) per job.
        return new SolverRegistry()
                .register(ModelKinds.LASSO_DCT, model -> new LassoDctSolver())
                .register(ModelKinds.GLOW, model -> new GlowSolver(engine, prior(model, bundleDirs.apply(model))))
                .register(ModelKinds.DCGAN, model -> new GanSolver(engine, prior(model, bundleDirs.apply(model))))
                .register(ModelKinds.DEEP_DECODER, model -> new DeepDecoderSolver(engine, DeepDecoderArchitecture.DEFAULT));
    }

    /** Adds or replaces the factory for a model kind; returns this registry. */
    public SolverRegistry register(String modelKind, Factory factory) {
        factories.put(modelKind, factory);
        return this;
    }

    /** The solver for a model, or empty when no solver serves its kind. */
    public Optional<Solver> solverFor(ModelRecord model) {
        Factory factory = factories.get(model.kind());
        return factory == null ? Optional.empty() : Optional.of(factory.create(model));
    }

    /** The kinds served, sorted (for messages that say what is allowed). */
    public Set<String> kinds() {
        return Collections.unmodifiableSet(factories.keySet());
    }

    private static Prior prior(ModelRecord model, Path dir) {
        ModelBundle bundle;
        try {
            bundle = ModelBundle.read(dir);
        } catch (ModelBundleException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!bundle.card().kind().equals(model.kind())) {
            throw new IllegalArgumentException("model " + model.id() + " is registered as kind '" + model.kind()
                    + "' but the card of its bundle " + dir + " says '" + bundle.card().kind() + "'");
        }
        return Prior.fromBundle(bundle);
    }
}

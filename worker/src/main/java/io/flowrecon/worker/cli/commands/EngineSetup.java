package io.flowrecon.worker.cli.commands;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.worker.app.WorkerConfig;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.runtime.SessionFactory;
import io.flowrecon.worker.solve.Solver;
import io.flowrecon.worker.solve.SolverRegistry;
import io.flowrecon.worker.store.ModelRecord;

/**
 * The engine the commands run on (the process's runtime settings, optionally with another thread count), and its
 * solvers.
 */
final class EngineSetup {

    private EngineSetup() {
    }

    static ObjectiveEngine engine(WorkerConfig config, Integer intraOpThreads) {
        WorkerConfig settings = intraOpThreads == null ? config : config.withIntraOpThreads(intraOpThreads);
        return new ObjectiveEngine(SessionFactory.create(settings.runtime()), AdjointBuilder.standard());
    }

    /** The solver a worker would pick for this bundle (the same registry), with the bundle read from its folder. */
    static Solver solverFor(ObjectiveEngine engine, ModelBundle bundle) {
        ModelCard card = bundle.card();
        ModelRecord model = new ModelRecord(card.id(), card.kind(), bundle.bundleHash(), bundle.dir().toString(), card.toJson());
        SolverRegistry solvers = SolverRegistry.standard(engine, registered -> bundle.dir());
        return solvers.solverFor(model).orElseThrow(() -> new IllegalArgumentException("model " + card.id()
                + " has kind '" + card.kind() + "'; the solvers serve kinds " + String.join(", ", solvers.kinds())));
    }

    /** --line-search, else {@code fallback}; a usage error naming the option when it is not a known search. */
    static String lineSearch(picocli.CommandLine.Model.CommandSpec spec, String given, String fallback) {
        String search = given != null ? given : fallback;
        if (!io.flowrecon.shared.job.SpecLimits.LINE_SEARCHES.contains(search)) {
            throw io.flowrecon.shared.cli.CommandLines.usageError(spec, "--line-search: one of "
                    + String.join(", ", io.flowrecon.shared.job.SpecLimits.LINE_SEARCHES) + ", got '" + search + "'");
        }
        return search;
    }
}

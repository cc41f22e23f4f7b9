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
}

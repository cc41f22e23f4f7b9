package io.flowrecon.worker.cli.commands;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.runtime.RuntimeConfig;
import io.flowrecon.worker.runtime.SessionFactory;
import io.flowrecon.worker.solve.Solver;
import io.flowrecon.worker.solve.SolverRegistry;
import io.flowrecon.worker.store.ModelRecord;
import java.util.HashMap;
import java.util.Map;

/**
 * The engine the commands run on (runtime settings from the environment, optionally overriding the thread
 * count), and its solvers.
 */
final class EngineSetup {

    private EngineSetup() {
    }

    static ObjectiveEngine engine(Map<String, String> env, Integer intraOpThreads) {
        Map<String, String> settings = new HashMap<>(env);
        if (intraOpThreads != null) {
            settings.put("FLOWRECON_INTRA_OP_THREADS", String.valueOf(intraOpThreads));
        }
        return new ObjectiveEngine(SessionFactory.create(RuntimeConfig.fromEnvironment(settings)), AdjointBuilder.standard());
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

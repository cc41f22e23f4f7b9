package io.flowrecon.worker.cli.commands;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.worker.app.WorkerConfig;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.runtime.SessionFactory;

/** The engine the commands run on: the process's runtime settings, optionally with another thread count. */
final class EngineSetup {

    private EngineSetup() {
    }

    static ObjectiveEngine engine(WorkerConfig config, Integer intraOpThreads) {
        WorkerConfig settings = intraOpThreads == null ? config : config.withIntraOpThreads(intraOpThreads);
        return new ObjectiveEngine(SessionFactory.create(settings.runtime()), AdjointBuilder.standard());
    }
}

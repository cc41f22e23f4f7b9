package io.flowrecon.worker.cli.commands;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.runtime.RuntimeConfig;
import io.flowrecon.worker.runtime.SessionFactory;
import java.util.HashMap;
import java.util.Map;

/** The engine the commands run on: runtime settings from the environment, optionally overriding the thread count. */
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
}

package io.flowrecon.worker.job;

import io.flowrecon.worker.solve.Solver;
import io.flowrecon.worker.store.ModelRecord;

/** Builds (or hands out a cached) solver for one registered model. */
@FunctionalInterface
public interface SolverFactory {

    /**
     * @throws Exception when the model cannot be loaded (missing bundle, bad ONNX graph, ...);
     *                   the job then fails with the message
     */
    Solver create(ModelRecord model) throws Exception;
}

package io.flowrecon.worker.job;

import io.flowrecon.worker.solve.Solver;
import io.flowrecon.worker.solve.lasso.LassoDctSolver;
import io.flowrecon.worker.store.ModelRecord;

/** Factories of the solvers that need no model bundle. */
final class BuiltInSolvers {

    private BuiltInSolvers() {
    }

    /** Lasso in the DCT basis (the paper's classical baseline); stateless, so one per job is cheap. */
    static Solver lassoDct(ModelRecord model) {
        return new LassoDctSolver();
    }
}

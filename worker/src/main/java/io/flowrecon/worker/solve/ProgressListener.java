package io.flowrecon.worker.solve;

import java.util.function.Supplier;

/** Receives one call per solver iteration; the job runner turns them into progress rows. */
@FunctionalInterface
public interface ProgressListener {

    /**
     * @param iteration    1-based iteration (outer step) number
     * @param loss         objective value after the iteration
     * @param currentImage the current estimate x in [0, 1] (CHW), computed only when asked for
     * @return false to stop early (the job was cancelled); the solver then reports stop reason "cancelled"
     */
    boolean onIteration(int iteration, double loss, Supplier<float[]> currentImage);

    ProgressListener NONE = (iteration, loss, currentImage) -> true;
}

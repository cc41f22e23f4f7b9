package io.flowrecon.worker.solve;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.operator.MeasurementOperator;

/** Recovers an image from measurements y = A x + eta under one prior. */
public interface Solver {

    /**
     * @param operator     the measurement operator A (m x n, n = shape.size())
     * @param measurements y, length m
     * @param shape        shape of the image to recover
     * @param settings     optimiser settings, defaults filled in
     * @param progress     called once per iteration
     */
    Reconstruction solve(MeasurementOperator operator, float[] measurements, ImageShape shape,
                         SolverSettings settings, ProgressListener progress);
}

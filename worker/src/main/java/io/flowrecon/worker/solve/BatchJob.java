package io.flowrecon.worker.solve;

import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.operator.MeasurementOperator;

/**
 * One job of a batch: what {@link Solver#solve} takes for one image, so that each job of a batch keeps its own
 * operator, measurements, settings and progress.
 */
public record BatchJob(MeasurementOperator operator, float[] measurements, SolverSettings settings, ProgressListener progress) {
}

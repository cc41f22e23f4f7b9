package io.flowrecon.shared.job;

/**
 * A validated reconstruction job, without its binary inputs (those are {@link JobInputs}).
 *
 * @param model      id of a registered prior, e.g. {@code lasso-dct} or {@code celeba32-glow}
 * @param problem    how the measurements are made
 * @param solver     optimiser settings, defaults already filled in
 * @param experiment id of the experiment sweep this job belongs to, or null
 */
public record JobSpec(String model, Problem problem, SolverSettings solver, String experiment) {
}

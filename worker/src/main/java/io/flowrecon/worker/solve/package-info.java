/**
 * Solvers: recover an image from measurements y = A x + eta under one prior ({@link io.flowrecon.worker.solve.Solver}).
 * {@link io.flowrecon.worker.solve.SolverRegistry} maps each model kind to its solver; a solver family lives in
 * its own package ({@code lasso}: the sparsity baseline; {@code latent}: priors G(z) searched in their latent).
 *
 * <pre>{@code
 * SolverRegistry solvers = SolverRegistry.standard(engine, model -> Path.of(model.bundlePath()));
 * Solver solver = solvers.solverFor(model).orElseThrow();   // by model.kind(): lasso-dct, glow, dcgan
 * Reconstruction r = solver.solve(operator, y, shape, settings, progress);
 * }</pre>
 */
package io.flowrecon.worker.solve;

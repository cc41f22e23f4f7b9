/**
 * Solvers for priors x = G(z) that come as ONNX bundles: min_z ||A G(z) - y||^2 + gamma ||z||^2 on the objective
 * engine ({@link io.flowrecon.worker.engine}), with an optimiser from {@link io.flowrecon.worker.optim}.
 * {@link io.flowrecon.worker.solve.latent.GlowSolver} follows Asim et al. 2020 (L-BFGS from z0 = 0);
 * {@link io.flowrecon.worker.solve.latent.GanSolver} follows Bora et al. 2017 (random restarts, best kept).
 */
package io.flowrecon.worker.solve.latent;

package io.flowrecon.worker.solve;

/**
 * What a solver returns.
 *
 * @param image       the estimate x_hat, CHW, clipped to [0, 1]
 * @param iterations  iterations (outer steps) taken
 * @param evaluations objective / gradient evaluations
 * @param latentNorm  ||z|| of the final latent (for Lasso: ||w||_2 of the DCT code)
 * @param stopReason  why it stopped: "max-iterations", "tolerance", "cancelled", ...
 */
public record Reconstruction(float[] image, int iterations, int evaluations, double latentNorm, String stopReason) {
}

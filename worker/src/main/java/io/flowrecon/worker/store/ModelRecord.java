package io.flowrecon.worker.store;

/**
 * A row of the prior registry.
 *
 * @param kind       lasso-dct, glow, dcgan, ... (picks the solver)
 * @param cardJson   the model card as JSON text
 * @param bundlePath folder of the bundle on this host, or null for built-in models
 */
public record ModelRecord(String id, String kind, String sha256, String bundlePath, String cardJson) {
}

package io.flowrecon.worker.runtime;

/**
 * What makes two objective sessions interchangeable: the same model file, the same problem shape (image shape,
 * m, batch size) and the same operator (kind and seed, since a Gaussian A is baked into the session).
 *
 * @param modelSha256      sha256 of the generator graph
 * @param problemShape     e.g. "cs:3x64x64:m=1500:batch=4"
 * @param operatorIdentity e.g. the operator's describe() text, "gaussian(m=1500, n=12288, seed=7)"
 */
public record SessionKey(String modelSha256, String problemShape, String operatorIdentity) {
}

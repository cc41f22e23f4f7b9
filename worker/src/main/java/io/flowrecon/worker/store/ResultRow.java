package io.flowrecon.worker.store;

import java.util.UUID;

/**
 * A finished job's results row (see the results table). Nullable fields are boxed.
 *
 * @param attempt        the claim this result belongs to ({@link ClaimResult.Claimed#attempts}): the commit is
 *                       fenced on it, so a superseded attempt can never write
 * @param residualNorm   ||A x_hat - y||
 * @param provenanceJson seeds, operator, solver settings, versions: what reproduces the result
 */
public record ResultRow(UUID jobId, int attempt, byte[] reconstructionPng, byte[] measurementPng, Double psnr, Double ssim,
                        double residualNorm, Double latentNorm, int iterations, int evaluations, long wallMillis,
                        String workerId, String executionProvider, String modelSha256, String stopReason,
                        String provenanceJson) {
}

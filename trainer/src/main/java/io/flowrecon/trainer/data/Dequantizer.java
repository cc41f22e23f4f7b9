package io.flowrecon.trainer.data;

import java.util.SplittableRandom;

/**
 * Glow's dequantisation (Kingma &amp; Dhariwal 2018, section 5; their code's {@code preprocess}): an 8-bit level
 * v is reduced to {@code nBits} bits, b = floor(v / 2^(8 - nBits)), and spread uniformly over its bin,
 * x = (b + u) / 2^nBits with u ~ U(0, 1), so x in [0, 1). A continuous density on x then bounds the discrete
 * log-likelihood, and bits/dim = (-log p(x) + D log 2^nBits) / (D log 2).
 *
 * @param nBits bits kept per value, 1..8
 */
public record Dequantizer(int nBits) {

    public Dequantizer {
        if (nBits < 1 || nBits > 8) {
            throw new IllegalArgumentException("nBits must be in 1..8, got " + nBits);
        }
    }

    /** Number of bins per value, 2^nBits. */
    public int bins() {
        return 1 << nBits;
    }

    /**
     * A batch [count, C*H*W] of dequantised images {@code indices} from {@code data}, written into {@code out}
     * (row-major). With {@code random == null} u = 0.5 (the bin centre, for deterministic evaluation).
     */
    public void batch(ImageDataset data, int[] indices, SplittableRandom random, float[] out) {
        int n = data.shape().size();
        int shift = 8 - nBits;
        float invBins = 1f / bins();
        for (int j = 0; j < indices.length; j++) {
            for (int k = 0; k < n; k++) {
                int b = data.level(indices[j], k) >> shift;
                double u = random == null ? 0.5 : random.nextDouble();
                out[j * n + k] = (float) ((b + u) * invBins);
            }
        }
    }

    /** The continuous density's correction: D log(2^nBits) nats, added to -log p(x) for the discrete NLL. */
    public double discretisationNats(int dims) {
        return dims * nBits * Math.log(2);
    }
}

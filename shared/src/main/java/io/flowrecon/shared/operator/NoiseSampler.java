package io.flowrecon.shared.operator;

import io.flowrecon.shared.job.Problem;

import java.util.SplittableRandom;

/** Draws the additive noise eta of a problem from its own seed. */
public final class NoiseSampler {

    private NoiseSampler() {
    }

    /** eta of the given length: zeros, i.i.d. N(0, std^2), or a Gaussian direction of exactly the given norm. */
    public static float[] sample(Problem.Noise noise, int length) {
        if (noise instanceof Problem.Noise.None) {
            return new float[length];
        }
        if (noise instanceof Problem.Noise.Gaussian gaussian) {
            if (!(gaussian.std() >= 0.0) || Double.isInfinite(gaussian.std())) {
                throw new IllegalArgumentException("problem.noise.std: must be finite and >= 0, got " + gaussian.std());
            }
            double[] draws = draws(gaussian.seed(), length);
            float[] eta = new float[length];
            for (int i = 0; i < length; i++) {
                eta[i] = (float) (draws[i] * gaussian.std());
            }
            return eta;
        }
        if (noise instanceof Problem.Noise.GaussianNorm normed) {
            return withNorm(normed, length);
        }
        // Java 17 has no exhaustive pattern switch; Problem.Noise is sealed, so this is unreachable.
        throw new IllegalStateException("unknown noise kind " + noise.kind());
    }

    private static float[] withNorm(Problem.Noise.GaussianNorm normed, int length) {
        double norm = normed.norm();
        if (!(norm >= 0.0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("problem.noise.norm: must be finite and >= 0, got " + norm);
        }
        float[] eta = new float[length];
        if (norm == 0.0 || length == 0) {
            return eta;
        }
        double[] draws = draws(normed.seed(), length);
        double sumSquares = 0.0;
        for (double d : draws) {
            sumSquares += d * d;
        }
        double scale = norm / Math.sqrt(sumSquares);
        for (int i = 0; i < length; i++) {
            eta[i] = (float) (draws[i] * scale);
        }
        return eta;
    }

    private static double[] draws(long seed, int length) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = random.nextGaussian();
        }
        return out;
    }
}

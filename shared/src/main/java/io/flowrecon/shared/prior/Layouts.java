package io.flowrecon.shared.prior;

import java.util.Random;

/** Checks and draws shared by the weight records. */
final class Layouts {
    private Layouts() {
    }

    static void requireLength(String what, float[] values, long expected) {
        if (values == null) {
            throw new IllegalArgumentException(what + " is missing (expected " + expected + " values)");
        }
        if (values.length != expected) {
            throw new IllegalArgumentException(what + " must have " + expected + " values, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(what + "[" + i + "] must be finite, got " + values[i]);
            }
        }
    }

    static float[] gaussian(Random random, int n, double std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextGaussian() * std);
        }
        return out;
    }

    static float[] gaussian(Random random, int n, double mean, double std) {
        float[] out = gaussian(random, n, std);
        for (int i = 0; i < n; i++) {
            out[i] += (float) mean;
        }
        return out;
    }
}

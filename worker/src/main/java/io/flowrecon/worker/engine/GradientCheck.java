package io.flowrecon.worker.engine;

import io.flowrecon.worker.optim.BatchObjective;
import java.util.SplittableRandom;

/**
 * Checks of an objective's gradient: central finite differences along random unit directions (used by tests and
 * by the {@code gradcheck} command on real bundles).
 */
public final class GradientCheck {

    /**
     * Steps tried. Measured on a random 64x64 DCGAN (ReLU): the error is erratic in h, from kinks, and fell to
     * 2e-4 .. 4e-3 only at h = 3e-4 in some directions; smooth Glow graphs reach 1e-3 at h = 1e-2.
     */
    public static final double[] STEPS = {1e-2, 3e-3, 1e-3, 3e-4, 1e-4};

    private GradientCheck() {
    }

    /**
     * Worst over {@code directions} random unit directions d (per image) of the relative error between
     * sum_b <g_b, d_b> and (f(z + h d) - f(z - h d)) / 2h (relative to max(|<g, d>|, ||g|| / sqrt(size))), taking
     * for each direction the best h of {@link #STEPS} (float32: a larger h suffers curvature and, in ReLU
     * networks, kinks crossed; a smaller one round-off).
     */
    public static double worstRelativeError(BatchObjective objective, float[] z, int directions, SplittableRandom random) {
        int size = z.length;
        double[] losses = new double[objective.batch()];
        float[] gradients = new float[size];
        objective.evaluate(z, losses, gradients);
        double gradientNorm = 0;
        for (float g : gradients) {
            gradientNorm += g * (double) g;
        }
        // A random unit direction sees about ||g|| / sqrt(size) of the gradient; a smaller directional derivative
        // is measured against that scale, so that float32 round-off of the loss does not read as an error.
        double scale = Math.max(Math.sqrt(gradientNorm / size), 1e-6);
        double worst = 0;
        for (int k = 0; k < directions; k++) {
            float[] d = new float[size];
            double norm = 0;
            for (int i = 0; i < size; i++) {
                d[i] = (float) random.nextGaussian();
                norm += d[i] * (double) d[i];
            }
            norm = Math.sqrt(norm);
            double analytic = 0;
            for (int i = 0; i < size; i++) {
                d[i] /= norm;
                analytic += gradients[i] * (double) d[i];
            }
            double best = Double.POSITIVE_INFINITY;
            for (double h : STEPS) {
                double numeric = (total(objective, z, d, h) - total(objective, z, d, -h)) / (2 * h);
                double error = Math.abs(numeric - analytic) / Math.max(Math.abs(analytic), scale);
                best = Math.min(best, error);
            }
            worst = Math.max(worst, best);
        }
        return worst;
    }

    private static double total(BatchObjective objective, float[] z, float[] d, double h) {
        float[] moved = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            moved[i] = (float) (z[i] + h * d[i]);
        }
        double[] losses = new double[objective.batch()];
        objective.evaluate(moved, losses, new float[z.length]);
        double sum = 0;
        for (double loss : losses) {
            sum += loss;
        }
        return sum;
    }
}

package io.flowrecon.worker.engine;

import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.SolverSettings;
import java.util.SplittableRandom;

/** Checks and initialisations the latent solvers share. */
final class Solvers {

    private Solvers() {
    }

    static void checkShape(Prior prior, ImageShape shape) {
        if (!prior.shape().equals(shape)) {
            throw new IllegalArgumentException("image shape " + shape + " does not match prior " + prior.id()
                    + ", which makes " + prior.shape() + " images");
        }
    }

    /** z0 for every image of a batch: zeros, or N(0, std^2) from the seed (restart b uses the b-th draws). */
    static float[] initialLatents(SolverSettings.Init init, int batch, int latent) {
        float[] z = new float[batch * latent];
        // Java 17 has no pattern switch; Init is sealed with these two variants.
        if (init instanceof SolverSettings.Init.RandomNormal normal) {
            SplittableRandom random = new SplittableRandom(normal.seed());
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) (normal.std() * random.nextGaussian());
            }
        } else if (!(init instanceof SolverSettings.Init.Zero)) {
            throw new IllegalArgumentException("solver.init kind '" + init.kind() + "' is not supported; allowed: zero, random");
        }
        return z;
    }
}

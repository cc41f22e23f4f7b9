package io.flowrecon.worker.solve.latent;

import io.flowrecon.shared.job.SolverSettings;
import java.util.SplittableRandom;

/** Where a latent search starts: z0 for every image of a batch, from the job's solver.init. */
final class InitialLatents {

    private InitialLatents() {
    }

    /** Zeros, or N(0, std^2) from the seed (restart b uses the b-th draws); [batch * latent]. */
    static float[] of(SolverSettings.Init init, int batch, int latent) {
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

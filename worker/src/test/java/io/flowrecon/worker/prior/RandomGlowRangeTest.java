package io.flowrecon.worker.prior;

import io.flowrecon.shared.prior.BatchSize;
import io.flowrecon.shared.prior.GlowArchitecture;
import io.flowrecon.shared.prior.GlowGraphs;
import io.flowrecon.shared.prior.GlowWeights;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Randomly initialised priors of the benchmark sizes must map z ~ N(0, I) to finite images of moderate
 * range: gradcheck and bench evaluate them there. (A coupling output gain of 0.5 made the 24 reverse
 * couplings of the 3x32x32, L=3, K=8 flow overflow to NaN.)
 */
class RandomGlowRangeTest {

    private static final int BATCH = 2;

    @ParameterizedTest(name = "{0}x{1}x{1}, L={2}, K={3}, H={4}")
    @CsvSource({"3, 32, 3, 8, 128", "1, 28, 2, 8, 128"})
    void standardNormalLatentsGiveFiniteImagesOfModerateRange(int channels, int size, int levels, int steps,
                                                              int hidden) throws Exception {
        GlowArchitecture arch = new GlowArchitecture(channels, size, levels, steps, hidden);
        GlowWeights weights = GlowWeights.random(arch, 1);
        int n = arch.latentSize();
        Random random = new Random(5);
        float[] z = new float[BATCH * n];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        try (GraphRunner generator = new GraphRunner(GlowGraphs.generator(weights, BatchSize.symbolic()))) {
            float[] x = generator.run(GlowGraphs.LATENT, z, BATCH, n).get(GlowGraphs.IMAGE);
            float maxAbs = 0;
            for (float v : x) {
                assertTrue(Float.isFinite(v), "G(z) has a non-finite value");
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
            // Untrained, so not in [0, 1]; but a flow that amplifies a unit latent beyond 1e3 is numerically
            // useless for float32 finite differences (the failure this pins down was a NaN, i.e. > 3.4e38).
            assertTrue(maxAbs < 1e3, "max |G(z)| = " + maxAbs);
        }
    }
}

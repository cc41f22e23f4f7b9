package io.flowrecon.worker.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.shared.prior.BatchSize;
import io.flowrecon.shared.prior.GlowArchitecture;
import io.flowrecon.shared.prior.GlowGraphs;
import io.flowrecon.shared.prior.GlowWeights;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The encoder inverts the generator. Tolerance 1e-4 max abs in float32: each of the L*K steps costs a few
 * roundings of values of order 1-5 (float32 epsilon 6e-8) amplified by the steps' conditioning (scales
 * sigmoid(h + 2) in about [0.7, 0.95], near-orthogonal 1x1 convs), which stays well below 1e-5 per pass; a
 * wrong layer (a transposed instead of inverted 1x1 conv, a coupling half swapped) gives errors of order 0.1-1.
 */
class GlowInversionTest {
    private static final int BATCH = 3;

    static Stream<Arguments> architectures() {
        return Stream.of(Arguments.of(new GlowArchitecture(1, 28, 2, 2, 16)),
                Arguments.of(new GlowArchitecture(3, 32, 3, 2, 16)),
                Arguments.of(new GlowArchitecture(3, 8, 1, 2, 8))); // one level: no split, the top prior only
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void encoderInvertsGeneratorBothWays(GlowArchitecture arch) throws Exception {
        GlowWeights weights = GlowWeights.random(arch, 5);
        int n = arch.latentSize();
        Random random = new Random(9);
        float[] z = new float[BATCH * n];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        float[] x = new float[BATCH * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        long[] imageShape = {BATCH, arch.channels(), arch.size(), arch.size()};
        try (GraphRunner generator = new GraphRunner(GlowGraphs.generator(weights, BatchSize.symbolic()));
             GraphRunner encoder = new GraphRunner(GlowGraphs.encoder(weights, BatchSize.symbolic()))) {
            float[] gz = generator.run(GlowGraphs.LATENT, z, BATCH, n).get(GlowGraphs.IMAGE);
            Map<String, float[]> back = encoder.run(GlowGraphs.IMAGE, gz, imageShape);
            float zError = GraphRunner.maxAbsDiff(z, back.get(GlowGraphs.LATENT));
            assertTrue(zError < 1e-4, "max |G^-1(G(z)) - z| = " + zError);
            assertEquals(BATCH, back.get(GlowGraphs.LOGDET).length);

            float[] ex = encoder.run(GlowGraphs.IMAGE, x, imageShape).get(GlowGraphs.LATENT);
            float[] again = generator.run(GlowGraphs.LATENT, ex, BATCH, n).get(GlowGraphs.IMAGE);
            float xError = GraphRunner.maxAbsDiff(x, again);
            assertTrue(xError < 1e-4, "max |G(G^-1(x)) - x| = " + xError);

            // the couplings act: log|det| depends on the image (a flow of no-op couplings would not)
            float[] logdet = back.get(GlowGraphs.LOGDET);
            assertTrue(Math.abs(logdet[0] - logdet[1]) > 1e-3, "logdet " + java.util.Arrays.toString(logdet));
            System.out.printf("glow %s: max|G^-1(G(z)) - z| = %.2e, max|G(G^-1(x)) - x| = %.2e%n", arch, zError,
                    xError);
        }
    }
}

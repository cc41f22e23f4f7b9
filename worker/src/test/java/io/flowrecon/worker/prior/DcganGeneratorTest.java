package io.flowrecon.worker.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.shared.prior.BatchSize;
import io.flowrecon.shared.prior.DcganArchitecture;
import io.flowrecon.shared.prior.DcganGraphs;
import io.flowrecon.shared.prior.DcganWeights;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DcganGeneratorTest {

    @ParameterizedTest
    @CsvSource({"1, 28", "3, 32", "3, 64"})
    void randomLatentsGiveImagesInTheUnitRangeThatVary(int channels, int size) throws Exception {
        DcganArchitecture arch = new DcganArchitecture(channels, size, 32, 16);
        int batch = 2;
        float[] z = new float[batch * arch.latent()];
        Random random = new Random(1);
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        try (GraphRunner generator = new GraphRunner(
                DcganGraphs.generator(DcganWeights.random(arch, 3), BatchSize.symbolic()))) {
            float[] x = generator.run(DcganGraphs.LATENT, z, batch, arch.latent()).get(DcganGraphs.IMAGE);
            assertEquals(batch * channels * size * size, x.length);
            double sum = 0;
            double sumSquares = 0;
            for (float v : x) {
                assertTrue(v >= 0f && v <= 1f, "value " + v + " outside [0, 1]");
                sum += v;
                sumSquares += v * v;
            }
            double mean = sum / x.length;
            double std = Math.sqrt(sumSquares / x.length - mean * mean);
            // unit-scale activations through tanh: pixels spread well away from a flat 0.5 image
            assertTrue(std > 0.1, "pixel std " + std + " (mean " + mean + ")");
            float[] first = java.util.Arrays.copyOfRange(x, 0, x.length / 2);
            float[] second = java.util.Arrays.copyOfRange(x, x.length / 2, x.length);
            assertTrue(GraphRunner.maxAbsDiff(first, second) > 0.1, "two latents gave the same image");
        }
    }
}

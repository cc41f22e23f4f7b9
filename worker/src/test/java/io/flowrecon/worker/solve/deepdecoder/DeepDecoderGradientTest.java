package io.flowrecon.worker.solve.deepdecoder;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.adjoint.check.AdjointCheck;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.prior.DeepDecoderArchitecture;
import io.flowrecon.shared.prior.DeepDecoderGraphs;
import io.flowrecon.shared.prior.DeepDecoderWeights;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The adjoint builder's gradient of the decoder with respect to its weights (the graph input), checked in
 * ONNX Runtime by {@link AdjointCheck}: the linear pieces by the dot-product test, the whole decoder by central
 * finite differences.
 */
class DeepDecoderGradientTest {

    /** Small enough for a quick check, with every layer kind: 3 layers, two upsamplings, k = 5. */
    private static final DeepDecoderArchitecture ARCH = new DeepDecoderArchitecture(3, 2.5, 5, 3);
    private static final ImageShape SHAPE = new ImageShape(3, 12, 12);

    @Test
    void aOneByOneConvolutionThenBilinearUpsamplingPassesTheDotProductTest() throws Exception {
        int k = 4;
        GraphBuilder g = new GraphBuilder("conv_upsample");
        Ops ops = new Ops(g);
        String weights = g.inputFloat("weights", 1, (long) k * k);
        float[] fixed = new float[k * 3 * 3];
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < fixed.length; i++) {
            fixed[i] = (float) random.nextDouble();
        }
        String x = g.initializer("fixed", fixed, k, 9);
        String conv = DeepDecoderGraphs.conv1x1(ops, weights, x, 1, k, k);
        g.output(DeepDecoderGraphs.upsample(g, ops.reshape(conv, 1, k, 3, 3), 1, k, 6, 6));
        String y = g.build().getGraph().getOutput(0).getName();

        double error = AdjointCheck.of(g.build(), y, List.of("weights"),
                Map.of("weights", gaussian(k * k, 4))).dotProductError();

        // <J u, w> and <u, J^T w> are sums of 144 float32 products of O(1) terms: rounding is ~1e-7 relative;
        // 1e-5 leaves room for ORT's summation order, while a wrong transpose is off by O(1).
        assertTrue(error < 1e-5, "dot-product relative error " + error);
    }

    @Test
    void theDecoderGradientWithRespectToItsWeightsMatchesCentralDifferences() throws Exception {
        float[] weights = DeepDecoderWeights.random(ARCH, SHAPE, 1.0, 7, 1);
        // Move the scales and shifts off 1 and 0, so that their rows of the Jacobian are generic too.
        float[] noise = gaussian(weights.length, 8);
        for (int i = 0; i < weights.length; i++) {
            weights[i] += 0.1f * noise[i];
        }

        double error = AdjointCheck.of(DeepDecoderGraphs.generator(ARCH, SHAPE, 1), DeepDecoderGraphs.IMAGE,
                List.of(DeepDecoderGraphs.WEIGHTS), Map.of(DeepDecoderGraphs.WEIGHTS, weights))
                .finiteDifferenceError();

        // Float32 central differences at the best of h = 1e-2, 3e-3, 1e-3: rounding ~1e-7 / h and truncation
        // ~h^2 put a correct gradient near 1e-4 relative, a ReLU kink crossed by the step at most ~1e-3
        // (measured: below 1e-3); a missing or wrong rule (normalisation, resize) is off by more than 10%.
        assertTrue(error < 1e-2, "finite-difference relative error " + error);
    }

    private static float[] gaussian(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}

package io.flowrecon.trainer.glow;

import static io.flowrecon.trainer.glow.GlowModelTest.TINY;
import static io.flowrecon.trainer.glow.GlowModelTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.shared.prior.BatchSize;
import io.flowrecon.shared.prior.GlowGraphs;
import io.flowrecon.shared.prior.GlowWeights;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GlowGeneratorTest {
    /**
     * Random weights exercise every layer (Glow's training init makes the couplings the identity). 1e-4 absolute
     * on values of order 1 after ~20 float32 layers: verify's bound, room for summation order only.
     */
    @Test
    void agreesWithTheExportedOnnxGeneratorAndInvertsTheSameDiffEncoder() throws Exception {
        GlowWeights w = GlowWeights.random(TINY, 13);
        int batch = 3;
        Random random = new Random(2);
        float[] z = new float[batch * TINY.latentSize()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (0.7 * random.nextGaussian());
        }
        float[] x = new GlowGenerator(w).generate(Nd4j.create(z, new long[] {batch, TINY.latentSize()}, 'c'))
                .dup('c').data().asFloat();
        float[] onnx = OnnxRun.run(GlowGraphs.generator(w, BatchSize.of(batch)), GlowGraphs.LATENT, z, batch,
                TINY.latentSize()).get(GlowGraphs.IMAGE);
        assertClose(onnx, x, 1e-4, "G(z), SameDiff vs ONNX");
        double spread = 0;
        for (float v : x) {
            spread = Math.max(spread, Math.abs(v - 0.5));
        }
        assertTrue(spread > 0.1, "a non-trivial image: max |x - 0.5| = " + spread);
        INDArray back = new GlowModel(w, 8).run(Nd4j.create(x, new long[] {batch, 3, 8, 8}, 'c'), GlowModel.LATENT)
                .get(GlowModel.LATENT);
        assertClose(z, back.dup('c').data().asFloat(), 1e-4, "G^-1(G(z)) in SameDiff");
    }
}

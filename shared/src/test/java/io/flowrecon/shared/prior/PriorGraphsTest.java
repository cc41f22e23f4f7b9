package io.flowrecon.shared.prior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowrecon.adjoint.check.OnnxChecker;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.adjoint.onnx.proto.ValueInfoProto;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriorGraphsTest {
    private static final String NO_CHECKER = "no /usr/bin/python3 with the onnx package (python3-onnx): skipped";

    private static final GlowArchitecture MNIST_GLOW = new GlowArchitecture(1, 28, 2, 2, 16);
    private static final GlowArchitecture CELEBA_GLOW = new GlowArchitecture(3, 32, 3, 2, 16);

    @TempDir
    Path dir;

    @Test
    void glowGraphsHaveASymbolicBatchThatTheEngineCanPin() {
        GlowWeights w = GlowWeights.random(CELEBA_GLOW, 1);
        ModelProto generator = GlowGraphs.generator(w, BatchSize.symbolic());
        ModelProto encoder = GlowGraphs.encoder(w, BatchSize.symbolic());
        assertEquals("batch", generator.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0)
                .getDimParam());
        GraphBuilder g = GraphBuilder.from(generator, Map.of(GlowGraphs.LATENT, new long[] {5, 3072}));
        assertArrayEquals(new long[] {5, 3, 32, 32}, g.shape(GlowGraphs.IMAGE).dims());
        GraphBuilder e = GraphBuilder.from(encoder, Map.of(GlowGraphs.IMAGE, new long[] {5, 3, 32, 32}));
        assertArrayEquals(new long[] {5, 3072}, e.shape(GlowGraphs.LATENT).dims());
        assertArrayEquals(new long[] {5}, e.shape(GlowGraphs.LOGDET).dims());
        assertEquals(List.of(GlowGraphs.LATENT, GlowGraphs.LOGDET), e.outputNames());
    }

    @Test
    void aFixedBatchIsWrittenAsIs() {
        ModelProto generator = GlowGraphs.generator(GlowWeights.random(MNIST_GLOW, 1), BatchSize.of(3));
        ValueInfoProto z = generator.getGraph().getInput(0);
        assertEquals(3, z.getType().getTensorType().getShape().getDim(0).getDimValue());
        assertEquals(784, z.getType().getTensorType().getShape().getDim(1).getDimValue());
    }

    @Test
    void outputGainZeroIsGlowsTrainingInitWithOnlyTheBiasesOfTheOutputConvsLeft() {
        GlowWeights training = GlowWeights.random(CELEBA_GLOW, 1, 0);
        for (GlowWeights.Level level : training.levels()) {
            for (GlowWeights.FlowStep step : level.steps()) {
                Conv2d output = step.coupling().output();
                assertTrue(allZero(output.weight()), "the last coupling conv's weights are zero");
                assertFalse(allZero(output.bias()), "its biases are not");
                assertFalse(allZero(step.coupling().input().weight()), "the other convs keep their random weights");
            }
            if (level.prior() instanceof GlowWeights.SplitPrior split) {
                assertTrue(allZero(split.conv().weight()), "the split prior's conv weights are zero");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> GlowWeights.random(CELEBA_GLOW, 1, -0.1));
        assertArrayEquals(GlowGraphs.generator(GlowWeights.random(MNIST_GLOW, 7), BatchSize.symbolic()).toByteArray(),
                GlowGraphs.generator(GlowWeights.random(MNIST_GLOW, 7, GlowWeights.COUPLING_OUTPUT_GAIN),
                        BatchSize.symbolic()).toByteArray(), "the default gain is the one random(arch, seed) uses");
    }

    private static boolean allZero(float[] values) {
        for (float v : values) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void randomWeightsAreDeterministicInTheSeed() {
        byte[] a = GlowGraphs.generator(GlowWeights.random(MNIST_GLOW, 7), BatchSize.symbolic()).toByteArray();
        byte[] b = GlowGraphs.generator(GlowWeights.random(MNIST_GLOW, 7), BatchSize.symbolic()).toByteArray();
        byte[] c = GlowGraphs.generator(GlowWeights.random(MNIST_GLOW, 8), BatchSize.symbolic()).toByteArray();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void weightsOfTheWrongShapeAreRefusedNamingTheLayer() {
        GlowWeights w = GlowWeights.random(MNIST_GLOW, 1);
        GlowArchitecture wider = new GlowArchitecture(1, 28, 2, 2, 32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GlowWeights(wider, w.levels()));
        assertTrue(e.getMessage().contains("level 0, step 0 coupling input"), e.getMessage());
    }

    @Test
    void dcganGeneratorsHaveTheImageShape() {
        for (int[] cs : new int[][] {{1, 28}, {3, 32}, {3, 64}}) {
            DcganArchitecture arch = new DcganArchitecture(cs[0], cs[1], 20, 8);
            ModelProto m = DcganGraphs.generator(DcganWeights.random(arch, 2), BatchSize.symbolic());
            GraphBuilder g = GraphBuilder.from(m, Map.of(DcganGraphs.LATENT, new long[] {2, 20}));
            assertArrayEquals(new long[] {2, cs[0], cs[1], cs[1]}, g.shape(DcganGraphs.IMAGE).dims(),
                    cs[0] + "x" + cs[1]);
        }
    }

    @Test
    void writtenGraphsPassTheOnnxChecker() throws Exception {
        assumeTrue(OnnxChecker.available(), NO_CHECKER);
        GlowWeights mnist = GlowWeights.random(MNIST_GLOW, 1);
        GlowWeights celeba = GlowWeights.random(CELEBA_GLOW, 1);
        DcganWeights dcgan = DcganWeights.random(new DcganArchitecture(3, 32, 20, 8), 1);
        for (ModelProto model : List.of(
                GlowGraphs.generator(mnist, BatchSize.symbolic()), GlowGraphs.encoder(mnist, BatchSize.symbolic()),
                GlowGraphs.generator(celeba, BatchSize.of(2)), GlowGraphs.encoder(celeba, BatchSize.symbolic()),
                DcganGraphs.generator(dcgan, BatchSize.symbolic()))) {
            assertEquals(Optional.empty(), OnnxChecker.problems(model, dir), model.getGraph().getName());
        }
    }

    @Test
    void theCheckerCatchesABrokenGraph() throws Exception {
        assumeTrue(OnnxChecker.available(), NO_CHECKER);
        ModelProto good = GlowGraphs.generator(GlowWeights.random(MNIST_GLOW, 1), BatchSize.symbolic());
        // drop the first node: its output is then used without being defined
        ModelProto bad = good.toBuilder().setGraph(good.getGraph().toBuilder().removeNode(0)).build();
        assertTrue(OnnxChecker.problems(bad, dir).isPresent());
    }
}

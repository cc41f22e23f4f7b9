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
import io.flowrecon.shared.job.ImageShape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeepDecoderArchitectureTest {

    private static final DeepDecoderArchitecture ARCH = DeepDecoderArchitecture.DEFAULT;
    private static final ImageShape FACE = new ImageShape(3, 32, 32);
    private static final ImageShape FASHION = new ImageShape(1, 28, 28);

    @Test
    void channelsAreTheWidestThatKeepTheDecoderUnderParameterised() {
        assertEquals(16, ARCH.channels(FACE));
        assertEquals(4 * (16 * 16 + 2 * 16) + 3 * 16, ARCH.parameterCount(FACE));
        assertTrue(FACE.size() / (double) ARCH.parameterCount(FACE) >= ARCH.compression());
        // One channel more would break the bound.
        int wider = 4 * (17 * 17 + 2 * 17) + 3 * 17;
        assertTrue(FACE.size() / (double) wider < ARCH.compression());
        assertEquals(7, ARCH.channels(FASHION));
        assertTrue(FASHION.size() / (double) ARCH.parameterCount(FASHION) >= ARCH.compression());
    }

    @Test
    void eachLayerDoublesTheSizeUpToTheImage() {
        int[] face = new int[ARCH.layers()];
        int[] fashion = new int[ARCH.layers()];
        for (int i = 0; i < ARCH.layers(); i++) {
            face[i] = ARCH.height(FACE, i);
            fashion[i] = ARCH.width(FASHION, i);
        }
        assertArrayEquals(new int[] {4, 8, 16, 32}, face);
        assertArrayEquals(new int[] {4, 7, 14, 28}, fashion);
    }

    @Test
    void theGraphMapsABatchOfWeightVectorsToImages() {
        ModelProto g = DeepDecoderGraphs.generator(ARCH, FASHION, 3);
        GraphBuilder b = GraphBuilder.from(g, Map.of());
        assertArrayEquals(new long[] {3, ARCH.parameterCount(FASHION)}, b.shape(DeepDecoderGraphs.WEIGHTS).dims());
        assertArrayEquals(new long[] {3, 1, 28, 28}, b.shape(DeepDecoderGraphs.IMAGE).dims());
        assertEquals(1, g.getGraph().getInputCount(), "the weights are the only input; B_0 is an initialiser");
    }

    @Test
    void initialWeightsFollowTheLayoutAndRestartZeroDoesNotDependOnTheBatch() {
        int n = ARCH.parameterCount(FACE);
        float[] one = DeepDecoderWeights.random(ARCH, FACE, 1.0, 5, 1);
        float[] three = DeepDecoderWeights.random(ARCH, FACE, 1.0, 5, 3);
        assertArrayEquals(one, Arrays.copyOf(three, n));
        assertFalse(Arrays.equals(one, Arrays.copyOfRange(three, n, 2 * n)), "restarts differ");
        int k = ARCH.channels(FACE);
        // Layer 0: conv [k, k], then scales (1) and shifts (0).
        for (int c = 0; c < k; c++) {
            assertEquals(1f, one[k * k + c]);
            assertEquals(0f, one[k * k + k + c]);
        }
        double sumSquares = 0;
        for (int i = 0; i < k * k; i++) {
            sumSquares += one[i] * (double) one[i];
        }
        // N(0, 1/k) entries: the mean square of k^2 = 256 draws is 1/k within a few standard errors (1/k * 0.09).
        assertEquals(1.0 / k, sumSquares / (k * k), 0.3 / k);
    }

    @Test
    void theFixedInputAndTheHashDependOnTheInputSeed() {
        DeepDecoderArchitecture other = new DeepDecoderArchitecture(ARCH.layers(), ARCH.compression(),
                ARCH.maxChannels(), ARCH.inputSeed() + 1);
        assertFalse(Arrays.equals(DeepDecoderGraphs.fixedInput(ARCH, FACE), DeepDecoderGraphs.fixedInput(other, FACE)));
        assertFalse(ARCH.sha256(FACE).equals(other.sha256(FACE)));
        assertFalse(ARCH.sha256(FACE).equals(ARCH.sha256(FASHION)));
        for (float v : DeepDecoderGraphs.fixedInput(ARCH, FACE)) {
            assertTrue(v >= 0 && v < DeepDecoderArchitecture.INPUT_SCALE);
        }
    }

    @Test
    void badArchitecturesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeepDecoderArchitecture(4, 1.0, 64, 1));
        assertTrue(e.getMessage().contains("compression"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DeepDecoderArchitecture(0, 2, 64, 1));
    }

    @Test
    void theGraphPassesTheOnnxChecker(@TempDir Path dir) throws Exception {
        assumeTrue(OnnxChecker.available(), "no /usr/bin/python3 with the onnx package (python3-onnx): skipped");
        assertEquals(Optional.empty(), OnnxChecker.problems(DeepDecoderGraphs.generator(ARCH, FACE, 2), dir));
    }
}

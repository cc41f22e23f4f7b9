package io.flowrecon.trainer.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleVerifierTest {
    @Test
    void maxAbsFailsOnANumberAgainstNaNButAcceptsMatchingNonFiniteValues() {
        float inf = Float.POSITIVE_INFINITY;
        assertEquals(0.25, BundleVerifier.maxAbs(new float[] {1, 2}, new float[] {1, 2.25f}), 0);
        assertEquals(Double.POSITIVE_INFINITY, BundleVerifier.maxAbs(new float[] {1, Float.NaN}, new float[] {1, 2}));
        assertEquals(Double.POSITIVE_INFINITY, BundleVerifier.maxAbs(new float[] {inf}, new float[] {Float.NaN}));
        assertEquals(0, BundleVerifier.maxAbs(new float[] {inf, Float.NaN}, new float[] {inf, Float.NaN}));
    }

    @Test
    void maxAbsOfOneArrayIsTheLargestFiniteMagnitude() {
        assertEquals(3.5, BundleVerifier.maxAbs(new float[] {1, -3.5f, Float.NaN, Float.NEGATIVE_INFINITY}), 0);
        assertEquals(0, BundleVerifier.maxAbs(new float[0]), 0);
    }

    @Test
    void defaultDataFollowsTheCardsDatasetName(@TempDir Path root) throws Exception {
        // only where Debian's folder exists; otherwise null and verify falls back to noise
        String fmnist = BundleVerifier.defaultData("fashion-mnist-without-class-3", root);
        if (Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist"))) {
            assertEquals("fmnist:/usr/share/datasets/fashion-mnist", fmnist);
        }
        assertEquals(null, BundleVerifier.defaultData("celeba", root), "no celeba folder under the data root");
        Files.createDirectory(root.resolve("celeba"));
        assertEquals("celeba:" + root.resolve("celeba"), BundleVerifier.defaultData("celeba", root));
        assertEquals(null, BundleVerifier.defaultData(null, root));
    }
}

package io.flowrecon.trainer.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

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
    void defaultDataFollowsTheCardsDatasetName() {
        // only where Debian's folder exists; otherwise null and verify falls back to noise
        String fmnist = BundleVerifier.defaultData("fashion-mnist-without-class-3");
        if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/usr/share/datasets/fashion-mnist"))) {
            assertEquals("fmnist:/usr/share/datasets/fashion-mnist", fmnist);
        }
        assertEquals(null, BundleVerifier.defaultData("celeba"));
        assertEquals(null, BundleVerifier.defaultData(null));
    }
}

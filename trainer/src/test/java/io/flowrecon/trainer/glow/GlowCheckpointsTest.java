package io.flowrecon.trainer.glow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.flowrecon.trainer.data.ImageDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlowCheckpointsTest {

    @Test
    void resumedRunReproducesTheUninterruptedLossCurve(@TempDir Path dir) throws Exception {
        ImageDataset data = GlowModelTest.toyData(40, 5);
        // batch 16 over 40 images: the 6 steps cross two epoch boundaries, so the data order is resumed too
        GlowTrainer.Settings settings = GlowModelTest.settings(16, 2e-3);
        GlowTrainer uninterrupted = GlowTrainer.start(GlowModelTest.TINY, settings, data);
        List<Double> expected = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            expected.add(uninterrupted.trainStep());
        }

        GlowTrainer first = GlowTrainer.start(GlowModelTest.TINY, settings, data);
        List<Double> actual = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            actual.add(first.trainStep());
        }
        GlowCheckpoints.save(dir, first, data.name(), 1234);
        GlowTrainer resumed = GlowCheckpoints.resume(dir, data);
        assertEquals(3, resumed.step());
        assertEquals(1234, GlowCheckpoints.readInfo(dir).trainedMillis());
        for (int t = 0; t < 3; t++) {
            actual.add(resumed.trainStep());
        }
        // Same weights, moments, batches and noise on one CPU thread: the same float operations in the same
        // order, so the curves agree to the last bit; 1e-9 only absorbs the double printout of a float loss.
        for (int t = 0; t < 6; t++) {
            assertEquals(expected.get(t), actual.get(t), 1e-9, "loss at step " + t);
        }
        // the curve really moves, so equality is not trivial
        assertNotEquals(expected.get(0), expected.get(5));
    }
}

package io.flowrecon.shared.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.adjoint.onnx.OnnxFiles;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelCard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriorBundlesTest {

    @TempDir
    Path dir;

    @Test
    void glowBundleHasBothGraphsHashedAndSaysHowTheWeightsWereMade() throws Exception {
        GlowArchitecture arch = new GlowArchitecture(1, 28, 2, 2, 16);
        Path out = dir.resolve("mnist28-glow");
        PriorBundles.writeGlow(out, GlowWeights.random(arch, 11),
                PriorCardInfo.randomInit("mnist28-glow", 11, Instant.parse("2026-01-01T00:00:00Z")));
        ModelBundle read = ModelBundle.read(out); // verifies every sha256
        ModelCard card = read.card();
        assertEquals("glow", card.kind());
        assertEquals(new ImageShape(1, 28, 28), card.imageShape());
        assertEquals(784, card.latentSize());
        assertEquals(Set.of(ModelBundle.GENERATOR, ModelBundle.ENCODER), card.files().keySet());
        assertEquals("random-init", card.training().get("method"));
        assertEquals(11, ((Number) card.training().get("seed")).intValue());
        assertEquals(2, ((Number) card.architecture().get("levels")).intValue());
        assertEquals(OnnxFiles.read(read.file(ModelBundle.GENERATOR)).getGraph().getInput(0).getName(),
                GlowGraphs.LATENT);
    }

    @Test
    void dcganBundleHasOnlyAGenerator() throws Exception {
        Path out = dir.resolve("d");
        PriorBundles.writeDcgan(out, DcganWeights.random(new DcganArchitecture(3, 32, 16, 8), 3),
                PriorCardInfo.randomInit("celeba32-dcgan", 3, null));
        ModelCard card = ModelBundle.read(out).card();
        assertEquals("dcgan", card.kind());
        assertEquals(16, card.latentSize());
        assertEquals(Set.of(ModelBundle.GENERATOR), card.files().keySet());
        assertFalse(Files.exists(out.resolve(ModelBundle.ENCODER)));
        assertTrue(Files.exists(out.resolve(ModelCard.FILE_NAME)));
    }
}

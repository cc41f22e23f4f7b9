package io.flowrecon.devstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.shared.image.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoSetTest {

    @Test
    void faceDemosCompareTheCelebaPriorsWithLassoAtFixedRatiosOfN(@TempDir Path root) {
        DemoSet celeba = DemoSet.named("celeba", root);
        assertEquals(List.of("lasso-dct", "celeba32-glow", "celeba32-dcgan"), celeba.models());
        // n = 3 x 32 x 32 = 3072; m/n = 0.05, 0.1 (the comparison point), 0.25, 0.5
        assertEquals(List.of(154, 307, 768, 1536), celeba.measurements());
        assertEquals(celeba.measurements(), DemoSet.named("ffhq", root).measurements());
        assertEquals(List.of(100, 200, 400, 784), DemoSet.named("fmnist", root).measurements());
    }

    @Test
    void anUnknownDemoIsRefusedWithTheAllowedNames(@TempDir Path root) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DemoSet.named("cifar", root));
        assertTrue(e.getMessage().contains("cifar") && e.getMessage().contains("celeba"), e.getMessage());
    }

    @Test
    void missingFaceFoldersSayWhatToSet(@TempDir Path root) {
        IOException e = assertThrows(IOException.class, () -> DemoSet.named("celeba", root).images().load());
        assertTrue(e.getMessage().contains("FLOWRECON_DATA") && e.getMessage().contains("celeba"), e.getMessage());
    }

    @Test
    void ffhqFacesAreTheFirstPngsByNameShrunkByAreaMeans(@TempDir Path dir) throws IOException {
        // 8x8 files: b.png grey level 200 everywhere, a.png a 2x2 checker of 0 and 255 blocks of 4x4
        BufferedImage flat = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        BufferedImage checker = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                flat.setRGB(x, y, 0xc8c8c8);
                checker.setRGB(x, y, ((x / 4 + y / 4) % 2 == 0) ? 0xffffff : 0);
            }
        }
        ImageIO.write(flat, "png", dir.resolve("b.png").toFile());
        ImageIO.write(checker, "png", dir.resolve("a.png").toFile());
        ImageIO.write(flat, "png", dir.resolve("c.png").toFile());
        List<Image> faces = DemoSet.ffhqFaces(dir, 2, 1);
        assertEquals(2, faces.size());
        // a.png first: its 1x1 area mean is half white, 127.5 -> level 128 after rounding
        assertEquals(128 / 255f, faces.get(0).values()[0], 0);
        assertEquals(200 / 255f, faces.get(1).values()[2], 0);
        assertThrows(IOException.class, () -> DemoSet.ffhqFaces(dir, 4, 1));
    }
}

package io.flowrecon.shared.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.shared.prior.GlowArchitecture.LevelShape;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlowArchitectureTest {

    @Test
    void levelsSqueezeThenSplitHalfTheChannels() {
        List<LevelShape> mnist = new GlowArchitecture(1, 28, 2, 2, 16).levelShapes();
        assertEquals(List.of(new LevelShape(0, 4, 14, 2), new LevelShape(1, 8, 7, 8)), mnist);
        List<LevelShape> celeba = new GlowArchitecture(3, 32, 3, 2, 16).levelShapes();
        assertEquals(List.of(new LevelShape(0, 12, 16, 6), new LevelShape(1, 24, 8, 12), new LevelShape(2, 48, 4, 48)),
                celeba);
    }

    @Test
    void latentKeepsTheImageDimension() {
        GlowArchitecture arch = new GlowArchitecture(3, 32, 3, 2, 16);
        assertEquals(3 * 32 * 32, arch.latentSize());
        assertEquals(arch.latentSize(), arch.levelShapes().stream().mapToInt(LevelShape::latentSize).sum());
    }

    @Test
    void sizeNotDivisibleByTwoToTheLevelsIsRefusedNamingTheRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GlowArchitecture(1, 28, 3, 2, 16));
        assertTrue(e.getMessage().contains("size must be divisible by 2^levels = 8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GlowArchitecture(1, 28, 2, 0, 16));
    }

    @Test
    void dcganSizesUpsampleFromSevenOrFour() {
        assertEquals(7, new DcganArchitecture(1, 28, 20).startSize());
        assertEquals(List.of(128, 64), new DcganArchitecture(1, 28, 20).featureChannels());
        assertEquals(4, new DcganArchitecture(3, 32, 100).startSize());
        assertEquals(List.of(256, 128, 64), new DcganArchitecture(3, 32, 100).featureChannels());
        assertEquals(4, new DcganArchitecture(3, 64, 100).upsamplings());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DcganArchitecture(1, 27, 20));
        assertTrue(e.getMessage().contains("size"), e.getMessage());
    }
}

package io.flowrecon.api.imageset;

import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.ImageShape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageSetCheckerTest {

    private static byte[] png(int channels, int height, int width) {
        return Png.encode(Image.zeros(new ImageShape(channels, height, width)));
    }

    private static ImageSetEntry entry(int i, byte[] bytes) {
        return new ImageSetEntry("images[" + i + "]", i + ".png", bytes);
    }

    @Test
    void tooManyImagesIsOneViolationWithTheCountAndTheLimit() {
        List<ImageSetEntry> entries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            entries.add(entry(i, png(1, 4, 4)));
        }
        InvalidImageSetException e = assertThrows(InvalidImageSetException.class,
                () -> new ImageSetChecker(new ImageSetLimits(3, 1 << 20, 64)).check(entries));
        assertEquals(1, e.violations().size());
        assertEquals("images", e.violations().get(0).field());
        assertTrue(e.violations().get(0).rule().contains("at most 3") && e.violations().get(0).rule().contains("got 4"),
                e.violations().get(0).rule());
    }

    @Test
    void tooManyBytesAndTooManyPixelsNameTheirEntries() {
        byte[] big = png(1, 80, 80);
        InvalidImageSetException e = assertThrows(InvalidImageSetException.class,
                () -> new ImageSetChecker(new ImageSetLimits(10, big.length - 1, 64))
                        .check(List.of(entry(0, png(1, 4, 4)), entry(1, big))));
        assertEquals("images[1]", e.violations().get(0).field());
        assertTrue(e.violations().get(0).rule().contains("bytes per image"), e.violations().get(0).rule());

        InvalidImageSetException pixels = assertThrows(InvalidImageSetException.class,
                () -> new ImageSetChecker(new ImageSetLimits(10, 1 << 20, 64)).check(List.of(entry(0, big))));
        assertTrue(pixels.violations().get(0).rule().contains("at most 64 pixels a side"),
                pixels.violations().get(0).rule());
    }

    @Test
    void theFirstImageSetsTheShapeAndTheHashIsOfTheUploadedBytes() {
        byte[] a = png(3, 4, 6);
        ImageSetChecker.CheckedSet set = new ImageSetChecker(new ImageSetLimits(10, 1 << 20, 64))
                .check(List.of(entry(0, a), entry(1, png(3, 4, 6))));
        assertEquals(new ImageShape(3, 4, 6), set.shape());
        assertEquals(ImageSetChecker.sha256(a), set.images().get(0).sha256());
        assertEquals(64, set.images().get(0).sha256().length());
    }
}

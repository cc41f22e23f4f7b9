package io.flowrecon.devstack.stack;

import io.flowrecon.shared.image.Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FashionMnistTest {

    @Test
    void readsTheFirstImagesRowMajorScaledToUnitRange(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("images.gz");
        writeIdx(file, 0x803, 2, 2, 3, new byte[]{0, 51, (byte) 255, 102, (byte) 204, 0, 9, 9, 9, 9, 9, 9});

        List<Image> images = FashionMnist.read(file, 1);

        assertEquals(1, images.size());
        Image first = images.get(0);
        assertEquals(1, first.channels());
        assertEquals(2, first.height());
        assertEquals(3, first.width());
        // Exact: k / 255 for the bytes written above, computed the same way in float.
        assertArrayEquals(new float[]{0f, 51 / 255f, 1f, 102 / 255f, 204 / 255f, 0f}, first.values());
    }

    @Test
    void rejectsAFileThatIsNotAnImageIdx(@TempDir Path dir) throws IOException {
        Path labels = dir.resolve("labels.gz");
        writeIdx(labels, 0x801, 1, 1, 1, new byte[]{3});

        IOException e = assertThrows(IOException.class, () -> FashionMnist.read(labels, 1));
        assertTrue(e.getMessage().contains("not an IDX image file"), e.getMessage());
    }

    @Test
    void readsTheImagesOfOneClassInFileOrder(@TempDir Path dir) throws IOException {
        // four 1x1 images with levels 10, 20, 30, 40 and labels 8, 1, 8, 8
        Path images = dir.resolve("images.gz");
        writeIdx(images, 0x803, 4, 1, 1, new byte[]{10, 20, 30, 40});
        Path labels = dir.resolve("labels.gz");
        try (OutputStream raw = Files.newOutputStream(labels);
             DataOutputStream out = new DataOutputStream(new GZIPOutputStream(raw))) {
            out.writeInt(0x801);
            out.writeInt(4);
            out.write(new byte[]{8, 1, 8, 8});
        }
        assertArrayEquals(new int[]{8, 1, 8, 8}, FashionMnist.readLabels(labels));
        List<Image> bags = FashionMnist.readClass(images, labels, 8, 2);
        assertEquals(2, bags.size());
        assertEquals(10 / 255f, bags.get(0).values()[0]);
        assertEquals(30 / 255f, bags.get(1).values()[0]);
        IOException e = assertThrows(IOException.class, () -> FashionMnist.readClass(images, labels, 1, 2));
        assertTrue(e.getMessage().contains("class 1"), e.getMessage());
        assertThrows(IOException.class, () -> FashionMnist.readLabels(images), "an image file is not a label file");
    }

    private static void writeIdx(Path file, int magic, int count, int rows, int columns, byte[] pixels)
            throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new GZIPOutputStream(raw))) {
            out.writeInt(magic);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(columns);
            out.write(pixels);
        }
    }
}

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
    void readsTheFirstImagesAndRefusesToReadMoreThanTheFileHolds(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("images.gz");
        writeIdx(file, 0x803, 2, 1, 2, new byte[]{0, 51, (byte) 255, 102});

        List<Image> images = FashionMnist.read(file, 2);

        assertEquals(2, images.size());
        assertArrayEquals(new float[]{1f, 102 / 255f}, images.get(1).values());
        IOException e = assertThrows(IOException.class, () -> FashionMnist.read(file, 3));
        assertTrue(e.getMessage().contains("holds 2 images, 3 requested"), e.getMessage());
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
                List<Image> bags = FashionMnist.readClass(images, labels, 8, 2);
        assertEquals(2, bags.size());
        assertEquals(10 / 255f, bags.get(0).values()[0]);
        assertEquals(30 / 255f, bags.get(1).values()[0]);
        IOException e = assertThrows(IOException.class, () -> FashionMnist.readClass(images, labels, 1, 2));
        assertTrue(e.getMessage().contains("class 1"), e.getMessage());
        assertThrows(IOException.class, () -> FashionMnist.readClass(labels, images, 8, 1), "an image file is not a label file");
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

package io.flowrecon.shared.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxTest {

    @TempDir
    Path dir;

    @Test
    void readsTheFirstImagesRowMajorScaledToUnitRange() throws IOException {
        Path file = dir.resolve("images.gz");
        write(file, true, 0x803, new int[] {2, 2, 3}, new byte[] {0, 51, (byte) 255, 102, (byte) 204, 0, 9, 9, 9, 9, 9, 9});

        Idx idx = Idx.readImages(file, 1);

        assertEquals(1, idx.count(), "only the items asked for are read");
        Image first = idx.image(0);
        assertEquals(1, first.channels());
        assertEquals(2, first.height());
        assertEquals(3, first.width());
        // Exact: k / 255 for the bytes written above, computed the same way in float.
        assertArrayEquals(new float[] {0f, 51 / 255f, 1f, 102 / 255f, 204 / 255f, 0f}, first.values());
    }

    @Test
    void plainAndGzippedFilesReadTheSame() throws IOException {
        byte[] levels = {1, 2, 3, 4, (byte) 200, 6, 7, 8};
        write(dir.resolve("plain-idx3-ubyte"), false, 0x803, new int[] {2, 2, 2}, levels);
        write(dir.resolve("zipped.bin"), true, 0x803, new int[] {2, 2, 2}, levels);

        Idx plain = Idx.read(dir.resolve("plain-idx3-ubyte"));
        Idx zipped = Idx.read(dir.resolve("zipped.bin"));

        assertArrayEquals(new int[] {2, 2, 2}, plain.dims());
        assertArrayEquals(levels, plain.data());
        assertArrayEquals(plain.dims(), zipped.dims());
        assertArrayEquals(plain.data(), zipped.data());
    }

    @Test
    void labelsAreUnsigned() throws IOException {
        Path labels = dir.resolve("labels");
        write(labels, true, 0x801, new int[] {3}, new byte[] {8, 1, (byte) 250});

        assertArrayEquals(new int[] {8, 1, 250}, Idx.readLabels(labels));
    }

    @Test
    void aLabelFileIsNotAnImageFileAndTheOtherWayRound() throws IOException {
        Path labels = dir.resolve("labels.gz");
        write(labels, true, 0x801, new int[] {1}, new byte[] {3});
        Path images = dir.resolve("images.gz");
        write(images, true, 0x803, new int[] {1, 1, 1}, new byte[] {3});

        IOException notImages = assertThrows(IOException.class, () -> Idx.readImages(labels, 1));
        assertTrue(notImages.getMessage().contains("not an IDX image file") && notImages.getMessage().contains("labels.gz"),
                notImages.getMessage());
        IOException notLabels = assertThrows(IOException.class, () -> Idx.readLabels(images));
        assertTrue(notLabels.getMessage().contains("not an IDX label file"), notLabels.getMessage());
    }

    @Test
    void aWrongMagicOrATruncatedFileIsNamed() throws IOException {
        Path png = dir.resolve("picture.png");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0});
        IOException magic = assertThrows(IOException.class, () -> Idx.read(png));
        assertTrue(magic.getMessage().contains("picture.png is not an unsigned-byte IDX file"), magic.getMessage());

        Path floats = dir.resolve("floats");
        write(floats, false, 0x0d01, new int[] {1}, new byte[4]);
        assertTrue(assertThrows(IOException.class, () -> Idx.read(floats)).getMessage().contains("0xd01"));

        Path shortFile = dir.resolve("short.gz");
        write(shortFile, true, 0x803, new int[] {2, 2, 2}, new byte[5]);
        IOException truncated = assertThrows(IOException.class, () -> Idx.read(shortFile));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    }

    private static void write(Path file, boolean gzip, int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream out = gzip ? new GZIPOutputStream(raw) : raw) {
            out.write(bytes.toByteArray());
        }
    }
}

package io.flowrecon.devstack.stack;

import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.job.ImageShape;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads images from a gzipped IDX file, the format of (Fashion-)MNIST: a big-endian header (magic 0x00000803,
 * count, rows, columns) followed by one unsigned byte per pixel, row-major (LeCun et al., the MNIST page).
 */
public final class FashionMnist {

    /** Where Debian's {@code dataset-fashion-mnist} package puts the test images. */
    public static final Path DEBIAN_TEST_IMAGES = Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");

    /** Where Debian's {@code dataset-fashion-mnist} package puts the test labels. */
    public static final Path DEBIAN_TEST_LABELS = Path.of("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private FashionMnist() {
    }

    /** The labels (0..9) of a gzipped IDX label file (magic 0x801, count, one byte each). */
    public static int[] readLabels(Path idxGz) throws IOException {
        try (DataInputStream in = openIdx(idxGz, LABELS_MAGIC, "label")) {
            byte[] labels = new byte[in.readInt()];
            in.readFully(labels);
            int[] out = new int[labels.length];
            for (int i = 0; i < labels.length; i++) {
                out[i] = labels[i] & 0xff;
            }
            return out;
        }
    }

    /** The first {@code count} images whose label is {@code label}, in file order. */
    public static List<Image> readClass(Path imagesGz, Path labelsGz, int label, int count) throws IOException {
        int[] labels = readLabels(labelsGz);
        int last = -1;
        int found = 0;
        for (int i = 0; i < labels.length && found < count; i++) {
            if (labels[i] == label) {
                found++;
                last = i;
            }
        }
        if (found < count) {
            throw new IOException(labelsGz + " has " + found + " images of class " + label + ", " + count + " requested");
        }
        List<Image> all = read(imagesGz, last + 1);
        List<Image> chosen = new ArrayList<>(count);
        for (int i = 0; i <= last; i++) {
            if (labels[i] == label) {
                chosen.add(all.get(i));
            }
        }
        return chosen;
    }

    /** The first {@code count} images, as 1-channel images with values in [0, 1]. */
    public static List<Image> read(Path idxGz, int count) throws IOException {
        try (DataInputStream in = openIdx(idxGz, IMAGES_MAGIC, "image")) {
            int available = in.readInt();
            int rows = in.readInt();
            int columns = in.readInt();
            if (count > available) {
                throw new IOException(idxGz + " holds " + available + " images, " + count + " requested");
            }
            List<Image> images = new ArrayList<>(count);
            byte[] pixels = new byte[rows * columns];
            for (int i = 0; i < count; i++) {
                in.readFully(pixels);
                float[] values = new float[pixels.length];
                for (int p = 0; p < pixels.length; p++) {
                    values[p] = (pixels[p] & 0xff) / 255f;
                }
                images.add(new Image(new ImageShape(1, rows, columns), values));
            }
            return images;
        }
    }

    /** The gunzipped stream after its magic number, which must be {@code magic} (an IOException names the file). */
    private static DataInputStream openIdx(Path idxGz, int magic, String kind) throws IOException {
        InputStream file = Files.newInputStream(idxGz);
        try {
            DataInputStream in = new DataInputStream(new GZIPInputStream(file));
            int found = in.readInt();
            if (found != magic) {
                throw new IOException(idxGz + " is not an IDX " + kind + " file (magic 0x"
                        + Integer.toHexString(found) + ", expected 0x" + Integer.toHexString(magic) + ")");
            }
            return in;
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }
}

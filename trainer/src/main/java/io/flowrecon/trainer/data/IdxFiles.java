package io.flowrecon.trainer.data;

import io.flowrecon.shared.job.ImageShape;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the gzipped IDX files of MNIST and Fashion-MNIST (LeCun's format: a big-endian magic 0x000008nn where
 * 0x08 is unsigned byte and nn the number of dimensions, then nn big-endian int32 sizes, then the data).
 */
public final class IdxFiles {
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxFiles() {
    }

    /**
     * A split of Fashion-MNIST (or MNIST) from its folder: {@code train} reads train-images-idx3-ubyte.gz and
     * train-labels-idx1-ubyte.gz, {@code t10k} (or {@code test}) the t10k files.
     */
    public static ImageDataset readSplit(Path folder, String split) throws IOException {
        String prefix = switch (split) {
            case "train" -> "train";
            case "test", "t10k" -> "t10k";
            default -> throw new IllegalArgumentException("split must be train or test, got " + split);
        };
        Path images = folder.resolve(prefix + "-images-idx3-ubyte.gz");
        Path labels = folder.resolve(prefix + "-labels-idx1-ubyte.gz");
        return read(folder.getFileName() + "/" + split, images, labels);
    }

    /** Images [n, rows, cols] as 1-channel images, with the labels [n] of the labels file. */
    public static ImageDataset read(String name, Path imagesFile, Path labelsFile) throws IOException {
        Idx images = readIdx(imagesFile);
        if (images.dims().length != 3) {
            throw new IOException(imagesFile + ": an image file has 3 dimensions, got " + images.dims().length);
        }
        Idx labels = readIdx(labelsFile);
        if (labels.dims().length != 1 || labels.dims()[0] != images.dims()[0]) {
            throw new IOException(labelsFile + ": expected " + images.dims()[0] + " labels in 1 dimension");
        }
        int[] labelValues = new int[labels.data().length];
        for (int i = 0; i < labelValues.length; i++) {
            labelValues[i] = labels.data()[i] & 0xff;
        }
        return new ImageDataset(name, new ImageShape(1, images.dims()[1], images.dims()[2]), images.data(),
                labelValues);
    }

    /** The dimensions and the raw unsigned bytes of one IDX file. */
    record Idx(int[] dims, byte[] data) {
    }

    static Idx readIdx(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(
                     file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16))) {
            int magic = in.readInt();
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UNSIGNED_BYTE) {
                throw new IOException(file + ": not an unsigned-byte IDX file (magic 0x"
                        + Integer.toHexString(magic) + ", expected 0x000008nn)");
            }
            int[] dims = new int[magic & 0xff];
            long count = 1;
            for (int d = 0; d < dims.length; d++) {
                dims[d] = in.readInt();
                count *= dims[d];
            }
            if (count > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": " + count + " values do not fit in one array");
            }
            byte[] data = new byte[(int) count];
            in.readFully(data);
            return new Idx(dims, data);
        }
    }
}

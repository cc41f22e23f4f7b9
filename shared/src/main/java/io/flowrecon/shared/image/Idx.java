package io.flowrecon.shared.image;

import io.flowrecon.shared.job.ImageShape;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The unsigned-byte arrays of an IDX file, the format of MNIST and Fashion-MNIST (LeCun et al., the MNIST page): a
 * big-endian magic 0x000008nn (0x08 = unsigned byte, nn = the number of dimensions), nn big-endian int32 sizes, then
 * the bytes in row-major order. Images are 3-dimensional (count, rows, columns), labels 1-dimensional (count).
 * Files may be gzipped or plain; gzip is recognised by its own magic bytes, not by the file name.
 *
 * @param dims the sizes; {@code dims[0]} is the number of items, and only the items read are counted
 * @param data the bytes of the items read, unsigned
 */
public record Idx(int[] dims, byte[] data) {

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int GZIP_MAGIC = 0x1f8b;
    private static final int BUFFER_BYTES = 1 << 16;

    /** Every item of the file. */
    public static Idx read(Path file) throws IOException {
        return read(file, Integer.MAX_VALUE);
    }

    /** The first {@code maxItems} items (fewer when the file holds fewer); an IOException names the file. */
    public static Idx read(Path file, int maxItems) throws IOException {
        try (DataInputStream in = new DataInputStream(open(file))) {
            int magic = in.readInt();
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UNSIGNED_BYTE || (magic & 0xff) == 0) {
                throw new IOException(file + " is not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic)
                        + ", expected 0x000008nn with nn >= 1 dimensions)");
            }
            int[] dims = new int[magic & 0xff];
            long itemSize = 1;
            for (int d = 0; d < dims.length; d++) {
                dims[d] = in.readInt();
                if (dims[d] < 0) {
                    throw new IOException(file + ": dimension " + d + " has a negative size " + dims[d]);
                }
                if (d > 0) {
                    itemSize *= dims[d];
                }
            }
            dims[0] = Math.min(dims[0], Math.max(0, maxItems));
            long count = itemSize * dims[0];
            if (count > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": " + count + " values do not fit in one array");
            }
            byte[] data = new byte[(int) count];
            in.readFully(data);
            return new Idx(dims, data);
        } catch (EOFException e) {
            throw new IOException(file + " ends before the sizes in its header say (truncated IDX file)", e);
        }
    }

    /** The first {@code maxItems} images of a 3-dimensional (count, rows, columns) file. */
    public static Idx readImages(Path file, int maxItems) throws IOException {
        return read(file, maxItems).requireDimensions(file, 3, "image", "count, rows, columns");
    }

    /** The labels (0..255) of a 1-dimensional file. */
    public static int[] readLabels(Path file) throws IOException {
        byte[] bytes = read(file).requireDimensions(file, 1, "label", "count").data();
        int[] labels = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            labels[i] = bytes[i] & 0xff;
        }
        return labels;
    }

    /** The number of items read. */
    public int count() {
        return dims[0];
    }

    /** One-channel images of rows x columns (3-dimensional files). */
    public ImageShape imageShape() {
        if (dims.length != 3) {
            throw new IllegalStateException("an IDX array of " + dims.length + " dimensions does not hold images");
        }
        return new ImageShape(1, dims[1], dims[2]);
    }

    /** Image {@code i} with its levels scaled to [0, 1] (level / 255). */
    public Image image(int i) {
        ImageShape shape = imageShape();
        float[] values = new float[shape.size()];
        int offset = i * values.length;
        for (int p = 0; p < values.length; p++) {
            values[p] = (data[offset + p] & 0xff) / 255f;
        }
        return new Image(shape, values);
    }

    private Idx requireDimensions(Path file, int expected, String kind, String names) throws IOException {
        if (dims.length != expected) {
            throw new IOException(file + " is not an IDX " + kind + " file: it has " + dims.length + " dimensions ("
                    + Arrays.toString(dims) + "), " + kind + " files have " + expected + " (" + names + ")");
        }
        return this;
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES);
        try {
            in.mark(2);
            int first = in.read();
            int second = in.read();
            in.reset();
            return ((first << 8) | second) == GZIP_MAGIC ? new BufferedInputStream(new GZIPInputStream(in, BUFFER_BYTES),
                    BUFFER_BYTES) : in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
